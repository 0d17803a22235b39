import { describe, expect, it, vi } from 'vitest';
import { LATEST } from '../engine/read-view.js';
import { StorageEngine } from '../engine/storage-engine.js';
import { matchingRecords } from './find-documents.js';
import { indexedCandidates } from './query-planner.js';

function collectionWith(n: number) {
  const coll = new StorageEngine().ensureCollection('db', 'c').coll;
  coll.addIndex({ name: 'key', key: { ws: 1, user: 1, ev: 1 }, unique: true });
  coll.addIndex({ name: 'user', key: { user: 1 } });
  for (let i = 0; i < n; i++) coll.insert({ _id: i, ws: 'w', user: `u${i}`, ev: i % 2 ? 'a' : 'b' }, LATEST);
  return coll;
}

describe('index-backed lookups', () => {
  it('answers _id, unique compound key, single-field and $in equality without scanning', () => {
    const coll = collectionWith(1000);
    const scan = vi.spyOn(coll.records, 'values');
    expect(matchingRecords(coll, LATEST, { _id: 500 }).map((m) => m.doc._id)).toEqual([500]);
    expect(matchingRecords(coll, LATEST, { ws: 'w', user: 'u7', ev: 'a' }).map((m) => m.doc._id)).toEqual([7]);
    expect(matchingRecords(coll, LATEST, { $and: [{ ws: { $eq: 'w' } }, { user: 'u8' }], ev: 'b' }).length).toBe(1);
    expect(matchingRecords(coll, LATEST, { user: { $in: ['u1', 'u2', 'nobody'] } }).length).toBe(2);
    expect(matchingRecords(coll, LATEST, { _id: { $in: [1, 2, 3] }, ev: 'a' }).length).toBe(2);
    expect(scan).not.toHaveBeenCalled();
    matchingRecords(coll, LATEST, { ev: 'a' });
    expect(scan).toHaveBeenCalledTimes(1);
  });

  it('falls back to a scan for ranges, regexes and array values', () => {
    const coll = collectionWith(10);
    expect(indexedCandidates(coll, { user: { $gt: 'u1' } })).toBeNull();
    expect(indexedCandidates(coll, { user: /u1/ })).toBeNull();
    expect(indexedCandidates(coll, { user: ['u1'] })).toBeNull();
    expect(indexedCandidates(coll, {})).toBeNull();
  });

  it('still re-checks the whole filter on index candidates', () => {
    const coll = collectionWith(10);
    expect(matchingRecords(coll, LATEST, { user: 'u3', ev: 'b' })).toEqual([]);
  });
});
