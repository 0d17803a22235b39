import { MongoBulkWriteError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';
import { expectServerError } from './expect-server-error.js';

let t: ContractTarget;
beforeAll(async () => {
  t = await openContractTarget('indexes');
});
afterAll(async () => {
  await t.close();
});

const KEY = { workspace_id: 1, user_id: 1, event_name: 1 };

describe('unique indexes and duplicate keys', () => {
  it('enforces _id uniqueness with E11000, keyPattern and keyValue', async () => {
    const coll = t.db.collection('ledger');
    await coll.insertOne({ _id: 'job-1' } as never);
    const err = await expectServerError(coll.insertOne({ _id: 'job-1' } as never), {
      code: 11000,
      message: `E11000 duplicate key error collection: ${t.db.databaseName}.ledger index: _id_ dup key: { _id: "job-1" }`,
    });
    expect(err.keyPattern).toEqual({ _id: 1 });
    expect(err.keyValue).toEqual({ _id: 'job-1' });
  });

  it('enforces a unique compound index on insert, update and upsert', async () => {
    const coll = t.db.collection('summaries');
    await coll.createIndex(KEY, { unique: true, name: 'summary_key' });
    await coll.insertOne({ workspace_id: 'w', user_id: 'u1', event_name: 'e' });
    await coll.insertOne({ workspace_id: 'w', user_id: 'u2', event_name: 'e' });
    const dup = await expectServerError(coll.insertOne({ workspace_id: 'w', user_id: 'u1', event_name: 'e' }), {
      code: 11000,
      message: `E11000 duplicate key error collection: ${t.db.databaseName}.summaries index: summary_key dup key: { workspace_id: "w", user_id: "u1", event_name: "e" }`,
    });
    expect(dup.keyPattern).toEqual(KEY);
    expect(dup.keyValue).toEqual({ workspace_id: 'w', user_id: 'u1', event_name: 'e' });
    await expectServerError(coll.updateOne({ user_id: 'u2' }, { $set: { user_id: 'u1' } }), { code: 11000 });
    await expectServerError(
      coll.updateOne({ workspace_id: 'w', user_id: 'u3', event_name: 'e', extra: 1 }, { $set: { user_id: 'u1' } }, { upsert: true }),
      { code: 11000 },
    );
    expect(await coll.countDocuments()).toBe(2);
  });

  it('reports duplicates as writeErrors in ordered and unordered bulk writes', async () => {
    const coll = t.db.collection('bulkdup');
    await coll.createIndex({ k: 1 }, { unique: true });
    const docs = [{ k: 1 }, { k: 1 }, { k: 2 }, { k: 2 }, { k: 3 }];
    const ordered = await t.db.command({ insert: 'bulkdup', documents: docs, ordered: true });
    expect(ordered.n).toBe(1);
    expect(ordered.writeErrors).toHaveLength(1);
    expect(ordered.writeErrors[0]).toMatchObject({ index: 1, code: 11000, keyPattern: { k: 1 }, keyValue: { k: 1 } });
    expect(ordered.writeErrors[0].errmsg).toBe(
      `E11000 duplicate key error collection: ${t.db.databaseName}.bulkdup index: k_1 dup key: { k: 1 }`,
    );
    await coll.deleteMany({});
    const err = await coll.insertMany(docs, { ordered: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as MongoBulkWriteError;
    expect(bulk.insertedCount).toBe(3);
    expect(bulk.writeErrors).toHaveLength(2);
    expect((bulk.writeErrors as unknown as Array<{ index: number; code: number }>).map((e) => [e.index, e.code])).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
  });

  it('upserts in an unordered bulkWrite keep going past a duplicate', async () => {
    const coll = t.db.collection('bulkupsert');
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.insertOne({ k: 'taken', other: 1 });
    const res = await coll
      .bulkWrite(
        [
          { updateOne: { filter: { k: 'a' }, update: { $inc: { n: 1 } }, upsert: true } },
          { updateOne: { filter: { other: 2 }, update: { $set: { k: 'taken' } }, upsert: true } },
          { updateOne: { filter: { k: 'b' }, update: { $inc: { n: 1 } }, upsert: true } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect(res).toBeInstanceOf(MongoBulkWriteError);
    const bulk = res as MongoBulkWriteError;
    expect(bulk.upsertedCount).toBe(2);
    expect(bulk.writeErrors).toHaveLength(1);
    expect(await coll.countDocuments()).toBe(3);
  });

  it('refuses to build a unique index over duplicate data', async () => {
    const coll = t.db.collection('predup');
    await coll.insertMany([{ v: 1 }, { v: 1 }]);
    await expectServerError(coll.createIndex({ v: 1 }, { unique: true }), { code: 11000 });
  });

  it('treats a missing field as null in a unique index', async () => {
    const coll = t.db.collection('nulls');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ name: 'a' });
    await expectServerError(coll.insertOne({ name: 'b' }), { code: 11000 });
  });
});

describe('index management', () => {
  it('lists, reuses and drops indexes', async () => {
    const coll = t.db.collection('managed');
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    expect(await coll.createIndex({ b: -1, c: 1 }, { name: 'bc', unique: true })).toBe('bc');
    const specs = await coll.listIndexes().toArray();
    expect(specs).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { a: 1 }, name: 'a_1' },
      { v: 2, key: { b: -1, c: 1 }, name: 'bc', unique: true },
    ]);
    await coll.dropIndex('a_1');
    expect((await coll.listIndexes().toArray()).map((s) => s.name)).toEqual(['_id_', 'bc']);
    await expectServerError(coll.dropIndex('nope'), { code: 27, codeName: 'IndexNotFound' });
    await expectServerError(coll.dropIndex('_id_'), { code: 72 });
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((s) => s.name)).toEqual(['_id_']);
  });

  it('refuses conflicting index definitions (85, 86)', async () => {
    const coll = t.db.collection('conflicting');
    await coll.createIndex({ a: 1 }, { name: 'idx' });
    await expectServerError(coll.createIndex({ b: 1 }, { name: 'idx' }), { code: 86, codeName: 'IndexKeySpecsConflict' });
    await expectServerError(coll.createIndex({ a: 1 }, { name: 'idx', unique: true }), {
      code: 85,
      codeName: 'IndexOptionsConflict',
      message: /^An equivalent index already exists with the same name but different options\. Requested index: /,
    });
    await expectServerError(coll.createIndex({ a: 1 }, { name: 'other' }), {
      code: 85,
      codeName: 'IndexOptionsConflict',
      message: 'Index already exists with a different name: idx',
    });
  });

  it('reports TTL options in listIndexes', async () => {
    const coll = t.db.collection('ttlspec');
    await coll.createIndex({ created_at: 1 }, { expireAfterSeconds: 3600 });
    const specs = await coll.listIndexes().toArray();
    expect(specs[1]).toMatchObject({ key: { created_at: 1 }, expireAfterSeconds: 3600 });
  });

  it('changes a TTL with collMod after createIndexes refuses the changed option', async () => {
    const coll = t.db.collection('ttlchange');
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 100, name: 'at_ttl' });
    await expectServerError(coll.createIndex({ at: 1 }, { expireAfterSeconds: 200, name: 'at_ttl' }), { code: 85 });
    const reply = await t.db.command({ collMod: 'ttlchange', index: { name: 'at_ttl', expireAfterSeconds: 200 } });
    expect(reply).toMatchObject({ expireAfterSeconds_old: 100, expireAfterSeconds_new: 200 });
    expect((await coll.listIndexes().toArray())[1]).toMatchObject({ name: 'at_ttl', expireAfterSeconds: 200 });
    await expectServerError(t.db.command({ collMod: 'ttlchange', index: { name: 'nope', expireAfterSeconds: 1 } }), { code: 27 });
  });

  it('answers listIndexes on a missing collection with NamespaceNotFound (26)', async () => {
    await expectServerError(t.db.command({ listIndexes: 'never_created' }), { code: 26, codeName: 'NamespaceNotFound' });
  });
});
