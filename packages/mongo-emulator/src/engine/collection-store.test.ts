import { describe, expect, it } from 'vitest';
import type { Doc } from '../bson/bson-types.js';
import { valueKey } from '../bson/value-key.js';
import { CommandError } from '../errors/command-error.js';
import type { CollectionStore } from './collection-store.js';
import { LATEST, viewOf } from './read-view.js';
import { StorageEngine } from './storage-engine.js';
import { LockWait } from './write-errors.js';

function setup(): { engine: StorageEngine; coll: CollectionStore } {
  const engine = new StorageEngine();
  return { engine, coll: engine.ensureCollection('db', 'c').coll };
}
const rec = (coll: CollectionStore, id: unknown) => {
  const r = coll.records.get(valueKey(id));
  if (!r) throw new Error(`no record ${String(id)}`);
  return r;
};
const code = (fn: () => void): number | string => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof CommandError) return err.code;
    if (err instanceof LockWait) return 'wait';
    throw err;
  }
};

describe('CollectionStore versions and transactions', () => {
  it('a transaction reads its snapshot and its own writes; others see its writes only after commit', () => {
    const { engine, coll } = setup();
    coll.insert({ _id: 1, v: 'a' }, LATEST);
    const txn = engine.begin();
    const tv = viewOf(txn);
    coll.replace(rec(coll, 1), { _id: 1, v: 'txn' }, tv);
    coll.insert({ _id: 2 }, tv);
    expect(coll.docByKey(valueKey(1), tv)).toEqual({ _id: 1, v: 'txn' });
    expect(coll.docByKey(valueKey(1), LATEST)).toEqual({ _id: 1, v: 'a' });
    expect(coll.docByKey(valueKey(2), LATEST)).toBeNull();
    engine.commit(txn);
    expect(coll.docByKey(valueKey(1), LATEST)).toEqual({ _id: 1, v: 'txn' });
    expect(coll.docByKey(valueKey(2), LATEST)).toEqual({ _id: 2 });
  });

  it('abort restores documents and index entries', () => {
    const { engine, coll } = setup();
    coll.addIndex({ name: 'k_1', key: { k: 1 }, unique: true });
    coll.insert({ _id: 1, k: 'a' }, LATEST);
    const txn = engine.begin();
    coll.replace(rec(coll, 1), { _id: 1, k: 'b' }, viewOf(txn));
    coll.insert({ _id: 2, k: 'c' }, viewOf(txn));
    engine.abort(txn);
    expect(coll.docByKey(valueKey(1), LATEST)).toEqual({ _id: 1, k: 'a' });
    expect(coll.records.has(valueKey(2))).toBe(false);
    const index = coll.indexes[0];
    expect(index?.lookup(valueKey('a'))).toEqual([valueKey(1)]);
    expect(index?.lookup(valueKey('b'))).toEqual([]);
    expect(index?.lookup(valueKey('c'))).toEqual([]);
  });

  it('keeps old versions only while a snapshot needs them', () => {
    const { engine, coll } = setup();
    coll.insert({ _id: 1, v: 0 }, LATEST);
    const reader = engine.begin();
    coll.replace(rec(coll, 1), { _id: 1, v: 1 }, LATEST);
    coll.replace(rec(coll, 1), { _id: 1, v: 2 }, LATEST);
    expect(coll.docByKey(valueKey(1), viewOf(reader))).toEqual({ _id: 1, v: 0 });
    expect(rec(coll, 1).head.prev).not.toBeNull();
    engine.commit(reader);
    expect(rec(coll, 1).head.prev).toBeNull();
    coll.remove(rec(coll, 1), LATEST);
    expect(coll.records.size).toBe(0);
  });

  it('first writer wins: a second transaction gets WriteConflict, an outside writer waits', () => {
    const { engine, coll } = setup();
    coll.insert({ _id: 1 }, LATEST);
    const t1 = engine.begin();
    const t2 = engine.begin();
    coll.replace(rec(coll, 1), { _id: 1, by: 't1' }, viewOf(t1));
    expect(code(() => coll.replace(rec(coll, 1), { _id: 1, by: 't2' }, viewOf(t2)))).toBe(112);
    expect(code(() => coll.replace(rec(coll, 1), { _id: 1, by: 'outside' }, LATEST))).toBe('wait');
    engine.commit(t1);
    expect(code(() => coll.replace(rec(coll, 1), { _id: 1, by: 'outside' }, LATEST))).toBe('ok');
  });

  it('a transaction writing a document committed after its snapshot gets WriteConflict', () => {
    const { engine, coll } = setup();
    coll.insert({ _id: 1 }, LATEST);
    const txn = engine.begin();
    coll.replace(rec(coll, 1), { _id: 1, v: 1 }, LATEST);
    expect(code(() => coll.remove(rec(coll, 1), viewOf(txn)))).toBe(112);
  });

  it('unique keys: duplicate for visible holders, conflict for uncommitted or newer ones', () => {
    const { engine, coll } = setup();
    coll.addIndex({ name: 'k_1', key: { k: 1 }, unique: true });
    coll.insert({ _id: 1, k: 'a' }, LATEST);
    expect(code(() => coll.insert({ _id: 2, k: 'a' }, LATEST))).toBe(11000);
    const t1 = engine.begin();
    const t2 = engine.begin();
    coll.insert({ _id: 3, k: 'b' }, viewOf(t1));
    expect(code(() => coll.insert({ _id: 4, k: 'b' }, viewOf(t2)))).toBe(112);
    expect(code(() => coll.insert({ _id: 5, k: 'b' }, LATEST))).toBe('wait');
    engine.commit(t1);
    expect(code(() => coll.insert({ _id: 6, k: 'b' }, viewOf(t2)))).toBe(112);
    expect(code(() => coll.insert({ _id: 7, k: 'b' }, LATEST))).toBe(11000);
  });

  it('indexes documents of every version a reader may still see', () => {
    const { engine, coll } = setup();
    coll.addIndex({ name: 'k_1', key: { k: 1 } });
    coll.insert({ _id: 1, k: 'old' }, LATEST);
    const reader = engine.begin();
    coll.replace(rec(coll, 1), { _id: 1, k: 'new' }, LATEST);
    const index = coll.indexes[0];
    expect(index?.lookup(valueKey('old'))).toEqual([valueKey(1)]);
    expect(index?.lookup(valueKey('new'))).toEqual([valueKey(1)]);
    engine.abort(reader);
    expect(index?.lookup(valueKey('old'))).toEqual([]);
  });

  it('builds multikey entries and refuses parallel arrays', () => {
    const { coll } = setup();
    coll.addIndex({ name: 'tags', key: { tags: 1 } });
    coll.insert({ _id: 1, tags: ['a', 'b'] } as Doc, LATEST);
    expect(coll.indexes[0]?.lookup(valueKey('b'))).toEqual([valueKey(1)]);
    coll.addIndex({ name: 'ab', key: { a: 1, b: 1 } });
    expect(code(() => coll.insert({ _id: 2, a: [1], b: [2, 3] }, LATEST))).toBe(171);
  });
});
