import { MongoWriteConcernError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';

// Write concern as a replica set answers it: the write is applied, and a concern the set cannot
// satisfy comes back as a writeConcernError. (Against MONGO_URL, a set of fewer than 10 members.)
let t: ContractTarget;
beforeAll(async () => {
  t = await openContractTarget('wc');
});
afterAll(async () => {
  await t.close();
});

async function writeConcernFailure(call: Promise<unknown>): Promise<MongoWriteConcernError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MongoWriteConcernError);
  return err as MongoWriteConcernError;
}

describe('write concern', () => {
  it('w greater than the member count applies the write and reports UnsatisfiableWriteConcern (100)', async () => {
    const err = await writeConcernFailure(t.db.collection('w10').insertOne({ _id: 1 } as never, { writeConcern: { w: 10 } }));
    expect(err.code).toBe(100);
    expect(err.result.writeConcernError).toMatchObject({
      code: 100,
      codeName: 'UnsatisfiableWriteConcern',
      errmsg: 'Not enough data-bearing nodes',
    });
    expect(err.errorLabels).toEqual([]);
    expect(await t.db.collection('w10').find().toArray()).toEqual([{ _id: 1 }]);
  });

  it('an unknown write-concern tag reports UnknownReplWriteConcern (79)', async () => {
    const err = await writeConcernFailure(
      t.db
        .collection('tag')
        .updateOne(
          { _id: 1 } as never,
          { $set: { a: 1 } },
          { upsert: true, writeConcern: { w: 'eastCoast' as 'majority' /* the driver's type knows no custom tags */ } },
        ),
    );
    expect(err.code).toBe(79);
    expect(await t.db.collection('tag').countDocuments()).toBe(1);
  });

  it('a commit with w: 10 commits and fails with the write-concern error, not UnknownTransactionCommitResult', async () => {
    const session = t.client.startSession();
    session.startTransaction({ writeConcern: { w: 10 } });
    await t.db.collection('txn').insertOne({ _id: 1 } as never, { session });
    const err = await writeConcernFailure(session.commitTransaction());
    await session.endSession();
    expect(err.code).toBe(100);
    expect(err.hasErrorLabel('UnknownTransactionCommitResult')).toBe(false);
    expect(await t.db.collection('txn').countDocuments()).toBe(1);
  });

  it("w: 'majority' and w: 1 are satisfied", async () => {
    await t.db.collection('ok').insertOne({ _id: 1 } as never, { writeConcern: { w: 'majority' } });
    await t.db.collection('ok').insertOne({ _id: 2 } as never, { writeConcern: { w: 1, j: true } });
    expect(await t.db.collection('ok').countDocuments()).toBe(2);
  });

  it('w: 0 is unacknowledged: the driver gets no reply, the write still happens', async () => {
    // One connection: the server runs its requests in order, so the count comes after the write.
    const single = await t.newClient({ maxPoolSize: 1 });
    const coll = single.db(t.db.databaseName).collection('w0');
    const result = await coll.insertOne({ _id: 1 } as never, { writeConcern: { w: 0 } });
    expect(result.acknowledged).toBe(false);
    expect(await coll.countDocuments()).toBe(1);
  });
});
