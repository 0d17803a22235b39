import type { Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';
import { expectServerError } from './expect-server-error.js';

let t: ContractTarget;
let n = 0;
beforeAll(async () => {
  t = await openContractTarget('update');
});
afterAll(async () => {
  await t.close();
});

/** A fresh collection per test so tests cannot see each other's documents. */
// biome-ignore lint/suspicious/noExplicitAny: free-form test documents
function fresh(): Collection<Record<string, any>> {
  n += 1;
  return t.db.collection(`u${n}`);
}

describe('upsert builds the new document from the filter, as mongod does', () => {
  it('copies plain equality, $eq, $and and dotted paths, then applies the operators', async () => {
    const coll = fresh();
    await coll.updateOne({ a: 1, b: { $eq: 'x' }, $and: [{ c: true }, { 'd.e': 5 }], f: { $gt: 3 } }, { $set: { g: 1 } }, { upsert: true });
    const doc = await coll.findOne({}, { projection: { _id: 0 } });
    expect(doc).toEqual({ a: 1, b: 'x', c: true, d: { e: 5 }, g: 1 });
  });

  it('uses the filter _id and generates one otherwise', async () => {
    const coll = fresh();
    const withId = await coll.updateOne({ _id: 'k' } as never, { $inc: { n: 1 } }, { upsert: true });
    expect(withId.upsertedId).toBe('k');
    const without = await coll.updateOne({ name: 'z' }, { $inc: { n: 1 } }, { upsert: true });
    expect(without.upsertedId).toBeTruthy();
    expect(await coll.findOne({ _id: 'k' } as never)).toEqual({ _id: 'k', n: 1 });
  });

  it('applies $setOnInsert only when the upsert inserts', async () => {
    const coll = fresh();
    const filter = { ws: 'w', user: 'u' };
    const update = { $inc: { count: 1 }, $setOnInsert: { created: 'first' } };
    const first = await coll.updateOne(filter, update, { upsert: true });
    expect(first.upsertedCount).toBe(1);
    await coll.updateOne(filter, { ...update, $setOnInsert: { created: 'second' } }, { upsert: true });
    expect(await coll.findOne(filter, { projection: { _id: 0 } })).toEqual({ ws: 'w', user: 'u', count: 2, created: 'first' });
  });

  it('compares Dates as dates in $min and $max', async () => {
    const coll = fresh();
    const jan = new Date('2024-01-01T00:00:00Z');
    const feb = new Date('2024-02-01T00:00:00Z');
    const mar = new Date('2024-03-01T00:00:00Z');
    const key = { k: 1 };
    await coll.updateOne(key, { $min: { first: feb }, $max: { last: feb } }, { upsert: true });
    await coll.updateOne(key, { $min: { first: mar }, $max: { last: mar } }, { upsert: true });
    await coll.updateOne(key, { $min: { first: jan }, $max: { last: jan } }, { upsert: true });
    const doc = await coll.findOne(key);
    expect(doc?.first).toEqual(jan);
    expect(doc?.last).toEqual(mar);
    expect(doc?.first).toBeInstanceOf(Date);
  });

  it('refuses to combine two conditions on one path (54)', async () => {
    await expectServerError(fresh().updateOne({ a: 1, 'a.b': 2 }, { $set: { c: 1 } }, { upsert: true }), { code: 54 });
  });
});

describe('update operators', () => {
  it('$inc, $set, $unset, $min, $max, $currentDate, $rename, $mul', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 1, n: 5, s: 'a', gone: 1, lo: 5, hi: 5, old: 'x' } as never);
    const before = Date.now();
    const res = await coll.updateOne({ _id: 1 } as never, {
      $inc: { n: 2, 'deep.count': 1 },
      $set: { s: 'b', 'x.y': 1 },
      $unset: { gone: '' },
      $min: { lo: 3 },
      $max: { hi: 3 },
      $currentDate: { touched: true },
      $rename: { old: 'renamed' },
      $mul: { m: 3 },
    });
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const doc = await coll.findOne({ _id: 1 } as never);
    expect(doc).toMatchObject({ n: 7, deep: { count: 1 }, s: 'b', x: { y: 1 }, lo: 3, hi: 5, renamed: 'x', m: 0 });
    expect(doc).not.toHaveProperty('gone');
    expect(doc).not.toHaveProperty('old');
    expect(doc?.touched).toBeInstanceOf(Date);
    expect((doc!.touched as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('$push with $each and $slice, $addToSet with $each, $pop, $pull, $pullAll', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 1, q: [1, 2], set: ['a'], p: [1, 2, 3, 4], r: [1, 2, 3, 2] } as never);
    await coll.updateOne(
      { _id: 1 } as never,
      {
        $push: { q: { $each: [3, 4, 5], $slice: -3 } },
        $addToSet: { set: { $each: ['a', 'b', 'b'] } },
        $pop: { p: -1 },
        $pullAll: { r: [2] },
      } as never,
    );
    await coll.updateOne({ _id: 1 } as never, { $push: { fresh: 'x' }, $pull: { p: { $gte: 4 } } } as never);
    expect(await coll.findOne({ _id: 1 } as never)).toEqual({
      _id: 1,
      q: [3, 4, 5],
      set: ['a', 'b'],
      p: [2, 3],
      r: [1, 3],
      fresh: ['x'],
    });
  });

  it('counts a no-op update as matched but not modified', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 1, v: 1, hi: 5 } as never);
    const res = await coll.updateOne({ _id: 1 } as never, { $set: { v: 1 }, $max: { hi: 3 } });
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(0);
  });

  it('updates many documents with multi', async () => {
    const coll = fresh();
    await coll.insertMany([{ g: 1 }, { g: 1 }, { g: 2 }]);
    const res = await coll.updateMany({ g: 1 }, { $set: { seen: true } });
    expect(res).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await coll.countDocuments({ seen: true })).toBe(2);
  });

  it('applies pipeline-style updates', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 1, a: 2, b: 3 } as never);
    await coll.updateOne({ _id: 1 } as never, [{ $set: { sum: { $add: ['$a', '$b'] } } }]);
    expect(await coll.findOne({ _id: 1 } as never)).toEqual({ _id: 1, a: 2, b: 3, sum: 5 });
  });
});

describe("update errors carry mongod's codes and messages", () => {
  it('conflicting paths in one update: 40 ConflictingUpdateOperators', async () => {
    const coll = fresh();
    await expectServerError(coll.updateOne({ a: 1 }, { $inc: { count: 1 }, $setOnInsert: { count: 0 } }, { upsert: true }), {
      code: 40,
      message: "Updating the path 'count' would create a conflict at 'count'",
    });
    await expectServerError(coll.updateOne({ a: 1 }, { $set: { x: 1 }, $inc: { 'x.y': 1 } }, { upsert: true }), {
      code: 40,
      message: "Updating the path 'x.y' would create a conflict at 'x'",
    });
  });

  it('$inc on a non-number: 14 TypeMismatch', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 1, name: 'text' } as never);
    await expectServerError(coll.updateOne({ _id: 1 } as never, { $inc: { name: 1 } } as never), {
      code: 14,
      message: "Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'name' of non-numeric type string",
    });
    await expectServerError(coll.updateOne({ _id: 1 } as never, { $inc: { n: 'x' } } as never), {
      code: 14,
      message: 'Cannot increment with non-numeric argument: {n: "x"}',
    });
  });

  it('setting a field through a scalar: 28 PathNotViable', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 1, a: 5 } as never);
    await expectServerError(coll.updateOne({ _id: 1 } as never, { $set: { 'a.b': 1 } }), {
      code: 28,
      message: "Cannot create field 'b' in element {a: 5}",
    });
  });

  it('_id may be set to its own value but not changed: 66 ImmutableField', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 1, v: 1 } as never);
    const same = await coll.updateOne({ _id: 1 } as never, { $set: { _id: 1, v: 2 } } as never);
    expect(same.modifiedCount).toBe(1);
    await expectServerError(coll.updateOne({ _id: 1 } as never, { $set: { _id: 2 } } as never), {
      code: 66,
      message: "Performing an update on the path '_id' would modify the immutable field '_id'",
    });
    await expectServerError(coll.replaceOne({ _id: 1 } as never, { _id: 3, v: 9 } as never), { code: 66 });
  });

  it('an update may not grow a document past 16 MiB (17419)', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 1, a: 'x'.repeat(9 * 1024 * 1024) } as never);
    await expectServerError(coll.updateOne({ _id: 1 } as never, { $set: { b: 'y'.repeat(9 * 1024 * 1024) } }), {
      code: 17419,
      message: 'Resulting document after update is larger than 16777216',
    });
  });

  it('unknown modifiers: 9 FailedToParse', async () => {
    await expect(t.db.command({ update: 'x', updates: [{ q: {}, u: { $frobnicate: { a: 1 } } }] })).resolves.toMatchObject({
      writeErrors: [
        {
          index: 0,
          code: 9,
          errmsg: 'Unknown modifier: $frobnicate. Expected a valid update modifier or pipeline-style update specified as an array',
        },
      ],
    });
  });
});
