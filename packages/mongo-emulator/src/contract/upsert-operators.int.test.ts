import type { Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';

// Tally's write is one upsert with $inc, $min, $max and $setOnInsert. $min and $max compare in
// BSON order across types (null < numbers < strings < … < Date), so a value of the wrong type
// already in a document can win against every Date forever; these cases pin mongod's answers.
let t: ContractTarget;
let n = 0;
beforeAll(async () => {
  t = await openContractTarget('upsert_ops');
});
afterAll(async () => {
  await t.close();
});

// biome-ignore lint/suspicious/noExplicitAny: free-form test documents
function fresh(): Collection<Record<string, any>> {
  n += 1;
  return t.db.collection(`o${n}`);
}

const jan = new Date('2024-01-01T00:00:00Z');
const mar = new Date('2024-03-01T00:00:00Z');

describe('$min and $max across BSON types', () => {
  it('a missing field takes the Date, on insert and on update', async () => {
    const coll = fresh();
    await coll.updateOne({ _id: 'a' } as never, { $min: { first: mar }, $max: { last: mar } }, { upsert: true });
    await coll.updateOne({ _id: 'b' } as never, { $set: { other: 1 } }, { upsert: true });
    await coll.updateOne({ _id: 'b' } as never, { $min: { first: jan }, $max: { last: jan } }, { upsert: true });
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'a', first: mar, last: mar },
      { _id: 'b', other: 1, first: jan, last: jan },
    ]);
  });

  it('against a number, the number is lower: $min keeps it, $max takes the Date', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 'n', first: 5, last: 5 } as never);
    const result = await coll.updateOne({ _id: 'n' } as never, { $min: { first: jan }, $max: { last: jan } });
    expect(result.modifiedCount).toBe(1);
    expect(await coll.findOne({ _id: 'n' } as never)).toEqual({ _id: 'n', first: 5, last: jan });
  });

  it('against null, null is lower: $min keeps null, $max takes the Date', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 'z', first: null, last: null } as never);
    await coll.updateOne({ _id: 'z' } as never, { $min: { first: jan }, $max: { last: jan } });
    expect(await coll.findOne({ _id: 'z' } as never)).toEqual({ _id: 'z', first: null, last: jan });
  });

  it('against a string, the string is lower than a Date: $min keeps it, $max takes the Date', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 's', first: '2023-01-01', last: '2099-01-01' } as never);
    await coll.updateOne({ _id: 's' } as never, { $min: { first: jan }, $max: { last: jan } });
    expect(await coll.findOne({ _id: 's' } as never)).toEqual({ _id: 's', first: '2023-01-01', last: jan });
  });

  it('an equal value changes nothing (not modified)', async () => {
    const coll = fresh();
    await coll.insertOne({ _id: 'e', first: jan, last: jan } as never);
    const result = await coll.updateOne({ _id: 'e' } as never, { $min: { first: jan }, $max: { last: jan } });
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });
});

describe("Tally's upsert: $setOnInsert, $inc, $min and $max together", () => {
  const update = (count: number, at: Date, name: string) => ({
    $setOnInsert: { zone: 'eu', created_by: name },
    $inc: { count },
    $min: { first: at },
    $max: { last: at },
  });

  it('the inserted document has _id and the filter fields first, then every operator field in name order', async () => {
    const coll = fresh();
    await coll.updateOne({ _id: 'k', workspace: 'w' } as never, update(2, jan, 'first'), { upsert: true });
    const doc = await coll.findOne({ _id: 'k' } as never);
    expect(Object.keys(doc ?? {})).toEqual(['_id', 'workspace', 'count', 'created_by', 'first', 'last', 'zone']);
    expect(doc).toEqual({ _id: 'k', workspace: 'w', count: 2, created_by: 'first', first: jan, last: jan, zone: 'eu' });
  });

  it('on update, $setOnInsert is skipped and the others apply; the field order stays', async () => {
    const coll = fresh();
    await coll.updateOne({ _id: 'k', workspace: 'w' } as never, update(2, jan, 'first'), { upsert: true });
    const second = await coll.updateOne({ _id: 'k', workspace: 'w' } as never, update(3, mar, 'second'), { upsert: true });
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    const doc = await coll.findOne({ _id: 'k' } as never);
    expect(Object.keys(doc ?? {})).toEqual(['_id', 'workspace', 'count', 'created_by', 'first', 'last', 'zone']);
    expect(doc).toEqual({ _id: 'k', workspace: 'w', count: 5, created_by: 'first', first: jan, last: mar, zone: 'eu' });
  });

  it('$setOnInsert and $min on the same path conflict (40), even on insert', async () => {
    const coll = fresh();
    const err = await coll
      .updateOne({ _id: 'c' } as never, { $setOnInsert: { first: jan }, $min: { first: jan } }, { upsert: true })
      .catch((e: unknown) => e);
    expect((err as { code?: number }).code).toBe(40);
    expect(await coll.countDocuments()).toBe(0);
  });
});
