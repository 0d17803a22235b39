import { describe, expect, it } from 'vitest';
import { ShardRotation } from './shard-rotation.js';

describe('ShardRotation', () => {
  it('takes the shards in turn, one flush each', () => {
    const rotation = new ShardRotation(['a', 'b', 'c'], 1000, () => 0);
    expect([rotation.order()[0], rotation.order()[0], rotation.order()[0], rotation.order()[0]]).toEqual(['a', 'b', 'c', 'a']);
  });

  it('passes over a shard whose add failed until its bench expires, and still offers it last', () => {
    let now = 0;
    const rotation = new ShardRotation(['a', 'b', 'c'], 1000, () => now);
    rotation.failed('a');
    expect(rotation.order()).toEqual(['b', 'c', 'a']);
    expect(rotation.order()).toEqual(['b', 'c', 'a']);
    now = 1000;
    expect(rotation.order()).toEqual(['c', 'a', 'b']);
  });

  it('offers every shard when all are benched: the batch is refused only when none takes it', () => {
    const rotation = new ShardRotation(['a', 'b'], 1000, () => 0);
    rotation.failed('a');
    rotation.failed('b');
    expect(rotation.order()).toEqual(['a', 'b']);
    rotation.succeeded('b');
    expect(rotation.order()).toEqual(['b', 'a']);
  });
});
