import { describe, expect, it } from 'vitest';
import { keySlot } from './key-slot.js';
import { shardQueueNames } from './shards.js';

describe('keySlot', () => {
  it('matches the slots Redis documents for plain and hash-tagged keys', () => {
    // Values from CLUSTER KEYSLOT on redis-server 7 (checked by hand and in the cluster test).
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('{user1000}.followers')).toBe(3443);
    // An empty tag hashes the whole key, as Redis does.
    expect(keySlot('a{}b')).toBe(13694);
  });
});

describe('shardQueueNames', () => {
  it('keeps the plain name for one shard on one Redis, so existing queues are kept', () => {
    expect(shardQueueNames('summaries', { shards: 1, cluster: false })).toEqual(['summaries']);
  });

  it('hash-tags every name on a cluster, so each queue lives on one slot', () => {
    const [only] = shardQueueNames('summaries', { shards: 1, cluster: true });
    expect(only).toMatch(/^\{summaries-0-\d+\}$/);
  });

  it('places N shards in N different equal parts of the slot space, the same in every process', () => {
    for (const shards of [2, 3, 6]) {
      const names = shardQueueNames('summaries', { shards, cluster: true });
      expect(names).toEqual(shardQueueNames('summaries', { shards, cluster: true }));
      const parts = names.map((name) => Math.floor((keySlot(`tally:${name}:wait`) * shards) / 16_384));
      expect(parts).toEqual(Array.from({ length: shards }, (_, i) => i));
      for (const name of names) expect(name).not.toContain(':');
    }
  });
});
