import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';
import { expectServerError } from './expect-server-error.js';

let t: ContractTarget;
beforeAll(async () => {
  t = await openContractTarget('crud');
});
afterAll(async () => {
  await t.close();
});

describe('insert, find and cursors', () => {
  it('round-trips BSON values: strings, numbers, Dates, ObjectIds, nested documents, arrays, null', async () => {
    const coll = t.db.collection('roundtrip');
    const doc = {
      _id: new ObjectId(),
      s: 'text',
      i: 42,
      f: 1.5,
      d: new Date('2024-05-06T07:08:09.010Z'),
      o: { nested: { deep: true } },
      a: [1, 'two', { three: 3 }],
      n: null,
    };
    await coll.insertOne(doc);
    const back = await coll.findOne({ _id: doc._id });
    expect(back).toEqual(doc);
    expect(back?.d).toBeInstanceOf(Date);
    expect(back?._id).toBeInstanceOf(ObjectId);
  });

  it('adds an ObjectId _id and stores it as the first field', async () => {
    const coll = t.db.collection('ids');
    await coll.insertOne({ name: 'x', _id: 7 } as never);
    const back = await coll.findOne({ name: 'x' });
    expect(Object.keys(back ?? {})[0]).toBe('_id');
    const res = await coll.insertOne({ name: 'y' });
    expect(res.insertedId).toBeInstanceOf(ObjectId);
  });

  it('filters, sorts, skips, limits and projects like mongod', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: free-form test documents
    const coll = t.db.collection<Record<string, any>>('people');
    await coll.insertMany([
      { _id: 1, name: 'ann', age: 31, tags: ['a', 'b'] },
      { _id: 2, name: 'bob', age: 25, tags: ['b'] },
      { _id: 3, name: 'cy', age: 40, tags: [] },
      { _id: 4, name: 'dee', age: 25 },
    ] as never[]);
    const names = async (cursor: { toArray(): Promise<Array<Record<string, unknown>>> }) => (await cursor.toArray()).map((d) => d.name);
    expect(await names(coll.find({ age: { $gte: 30 } }).sort({ age: 1 }))).toEqual(['ann', 'cy']);
    expect(await names(coll.find({}).sort({ age: 1, name: -1 }))).toEqual(['dee', 'bob', 'ann', 'cy']);
    expect(await names(coll.find({}).sort({ _id: 1 }).skip(1).limit(2))).toEqual(['bob', 'cy']);
    expect(await names(coll.find({ tags: 'b' }).sort({ _id: 1 }))).toEqual(['ann', 'bob']);
    expect(await names(coll.find({ $or: [{ name: 'cy' }, { age: 31 }] }).sort({ _id: 1 }))).toEqual(['ann', 'cy']);
    expect(await coll.find({ _id: 2 } as never, { projection: { name: 1 } }).toArray()).toEqual([{ _id: 2, name: 'bob' }]);
    expect(await coll.find({ _id: 2 } as never, { projection: { _id: 0, tags: 0 } }).toArray()).toEqual([{ name: 'bob', age: 25 }]);
    expect(await coll.find({ tags: { $exists: false } }).toArray()).toEqual([{ _id: 4, name: 'dee', age: 25 }]);
  });

  it('returns large results in batches through getMore, and kills cursors', async () => {
    const coll = t.db.collection('many');
    await coll.insertMany(Array.from({ length: 450 }, (_, i) => ({ i })));
    const all = await coll.find({}, { batchSize: 100 }).sort({ i: 1 }).toArray();
    expect(all.length).toBe(450);
    expect(all[449]?.i).toBe(449);
    const cursor = coll.find({}, { batchSize: 10 });
    await cursor.next();
    await cursor.close();
    const reply = await t.db.command({ find: 'many', batchSize: 2 });
    const id = reply.cursor.id;
    expect(reply.cursor.firstBatch.length).toBe(2);
    expect(reply.cursor.ns).toBe(`${t.db.databaseName}.many`);
    const killed = await t.db.command({ killCursors: 'many', cursors: [id] });
    expect(killed.cursorsKilled.map(String)).toEqual([String(id)]);
    await expect(t.db.command({ getMore: id, collection: 'many' })).rejects.toMatchObject({ code: 43, codeName: 'CursorNotFound' });
  });

  it('counts and lists distinct values', async () => {
    const coll = t.db.collection('counted');
    await coll.insertMany([
      { k: 'a', v: [1, 2] },
      { k: 'b', v: 2 },
      { k: 'a', v: 3 },
    ]);
    expect(await coll.countDocuments({ k: 'a' })).toBe(2);
    expect(await coll.estimatedDocumentCount()).toBe(3);
    expect((await t.db.command({ count: 'counted', query: { k: 'a' } })).n).toBe(2);
    expect((await coll.distinct('v')).sort()).toEqual([1, 2, 3]);
    expect(await coll.distinct('k', { v: 3 })).toEqual(['a']);
  });

  it('deletes one or many', async () => {
    const coll = t.db.collection('deleted');
    await coll.insertMany([{ g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await coll.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({ g: { $gte: 1 } })).deletedCount).toBe(2);
    expect(await coll.countDocuments()).toBe(0);
  });

  it('findOneAndUpdate / findOneAndDelete / findOneAndReplace return the documents mongod returns', async () => {
    const coll = t.db.collection('fam');
    await coll.insertMany([
      { _id: 1, n: 1 },
      { _id: 2, n: 2 },
    ] as never[]);
    const before = await coll.findOneAndUpdate({ _id: 1 } as never, { $inc: { n: 10 } });
    expect(before).toEqual({ _id: 1, n: 1 });
    const after = await coll.findOneAndUpdate({ _id: 1 } as never, { $inc: { n: 10 } }, { returnDocument: 'after' });
    expect(after).toEqual({ _id: 1, n: 21 });
    const upserted = await coll.findOneAndUpdate(
      { _id: 3 } as never,
      { $set: { n: 3 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(upserted.value).toEqual({ _id: 3, n: 3 });
    expect(upserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 3 });
    const replaced = await coll.findOneAndReplace({ _id: 2 } as never, { m: 1 }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 2, m: 1 });
    const deleted = await coll.findOneAndDelete({}, { sort: { _id: -1 } });
    expect(deleted).toEqual({ _id: 3, n: 3 });
    expect(await coll.findOneAndDelete({ _id: 99 } as never)).toBeNull();
  });

  it('replaces documents but keeps their _id', async () => {
    const coll = t.db.collection('replaced');
    await coll.insertOne({ _id: 'r', a: 1, b: 2 } as never);
    const res = await coll.replaceOne({ _id: 'r' } as never, { c: 3 });
    expect(res.modifiedCount).toBe(1);
    expect(await coll.findOne({ _id: 'r' } as never)).toEqual({ _id: 'r', c: 3 });
  });

  it("refuses a '$'-prefixed field inside _id (52) but accepts a dotted one", async () => {
    const coll = t.db.collection('dollar_id');
    await expectServerError(coll.insertOne({ _id: { $a: 1 } } as never), {
      code: 52,
      message: "_id fields may not contain '$'-prefixed fields: $a is not valid for storage.",
    });
    await coll.insertOne({ _id: { 'a.b': 1 } } as never);
    expect(await coll.find().toArray()).toEqual([{ _id: { 'a.b': 1 } }]);
  });
});
