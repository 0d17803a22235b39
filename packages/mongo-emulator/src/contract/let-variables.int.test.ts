import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';
import { expectServerError } from './expect-server-error.js';

// A command's `let` document defines $$variables for $expr filters, pipelines and pipeline
// updates; its values are expressions evaluated once.
let t: ContractTarget;
beforeAll(async () => {
  t = await openContractTarget('let');
  await t.db.collection('c').insertMany([
    { _id: 1, x: 'a' },
    { _id: 2, x: 'b' },
    { _id: 3, x: 'b' },
  ] as never[]);
});
afterAll(async () => {
  await t.close();
});

const byVar = { $expr: { $eq: ['$x', '$$want'] } };

describe('let variables', () => {
  it('find and aggregate see them in $expr and in expressions', async () => {
    expect(
      await t.db
        .collection('c')
        .find(byVar, { let: { want: 'a' } })
        .toArray(),
    ).toEqual([{ _id: 1, x: 'a' }]);
    const out = await t.db
      .collection('c')
      .aggregate([{ $match: byVar }, { $project: { _id: 1, tag: '$$tag' } }], { let: { want: 'b', tag: { $literal: '$notAField' } } })
      .toArray();
    expect(out).toEqual([
      { _id: 2, tag: '$notAField' },
      { _id: 3, tag: '$notAField' },
    ]);
  });

  it('update (also pipeline updates), findOneAndUpdate and delete use them', async () => {
    const coll = t.db.collection('w');
    await coll.insertMany([
      { _id: 1, x: 'a' },
      { _id: 2, x: 'b' },
    ] as never[]);
    const updated = await coll.updateMany(byVar, [{ $set: { y: '$$value' } }], { let: { want: 'a', value: { $add: [40, 2] } } });
    expect(updated.modifiedCount).toBe(1);
    const found = await coll.findOneAndUpdate(byVar, { $set: { z: 1 } }, { let: { want: 'b' }, returnDocument: 'after' });
    expect(found).toEqual({ _id: 2, x: 'b', z: 1 });
    expect((await coll.deleteOne(byVar, { let: { want: 'b' } })).deletedCount).toBe(1);
    expect(await coll.find().toArray()).toEqual([{ _id: 1, x: 'a', y: 42 }]);
  });

  it('a pipeline update whose $replaceRoot drops _id keeps the _id', async () => {
    const coll = t.db.collection('r');
    await coll.insertOne({ _id: 1, inner: { v: 1 } } as never);
    await coll.updateOne({ _id: 1 } as never, [{ $replaceRoot: { newRoot: '$inner' } }]);
    expect(await coll.find().toArray()).toEqual([{ _id: 1, v: 1 }]);
  });

  it('update statements have no sort before MongoDB 8.0: the command fails (40415)', async () => {
    const build = await t.client.db('admin').command({ buildInfo: 1 });
    const call = t.db.command({ update: 'c', updates: [{ q: {}, u: { $set: { s: 1 } }, sort: { _id: -1 } }] });
    if (Number(String(build.version).split('.')[0]) >= 8) {
      await call;
      return;
    }
    await expectServerError(call, {
      code: 40415,
      codeName: 'IDLUnknownField',
      message: "BSON field 'update.updates.sort' is an unknown field.",
    });
    expect(await t.db.collection('c').countDocuments({ s: 1 })).toBe(0);
  });
});
