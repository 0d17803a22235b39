import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors/command-error.js';
import { seedFromFilter } from './upsert-seed.js';

describe('seedFromFilter', () => {
  it('keeps equality conditions, including $eq, one-element $in, $and and dotted paths', () => {
    expect(
      seedFromFilter({
        a: 1,
        b: { $eq: 'x' },
        c: { $in: [true] },
        $and: [{ d: 2 }, { 'e.f': 3 }],
        g: { $gt: 1 },
        h: { $in: [1, 2] },
        r: /x/,
        $or: [{ z: 1 }],
      }),
    ).toEqual({ a: 1, b: 'x', c: true, d: 2, e: { f: 3 } });
  });

  it('keeps embedded documents as values', () => {
    expect(seedFromFilter({ a: { x: 1 } })).toEqual({ a: { x: 1 } });
  });

  it('refuses overlapping paths (54)', () => {
    expect(() => seedFromFilter({ a: 1, $and: [{ a: 2 }] })).toThrow(CommandError);
    expect(() => seedFromFilter({ 'a.b': 1, a: { $eq: { b: 1 } } })).toThrow(/both paths/);
  });
});
