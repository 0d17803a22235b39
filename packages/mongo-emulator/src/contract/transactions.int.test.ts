import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';
import { expectServerError } from './expect-server-error.js';

let t: ContractTarget;
let n = 0;
beforeAll(async () => {
  t = await openContractTarget('txn');
});
afterAll(async () => {
  await t.close();
});

async function fresh(): Promise<Collection<Document>> {
  n += 1;
  const coll = t.db.collection(`t${n}`);
  // Create the collection up front so the tests also hold on servers that refuse implicit
  // creation inside transactions.
  await t.db.createCollection(coll.collectionName);
  return coll;
}

describe('multi-document transactions', () => {
  it('commit makes all writes visible at once; nothing is visible before', async () => {
    const coll = await fresh();
    const session = t.client.startSession();
    session.startTransaction();
    await coll.insertOne({ _id: 1 } as never, { session });
    await coll.insertOne({ _id: 2 } as never, { session });
    expect(await coll.countDocuments({}, { session })).toBe(2);
    expect(await coll.countDocuments()).toBe(0);
    await session.commitTransaction();
    expect(await coll.countDocuments()).toBe(2);
    await session.endSession();
  });

  it('abort discards every write of the transaction', async () => {
    const coll = await fresh();
    await coll.insertOne({ _id: 1, v: 1 } as never);
    const session = t.client.startSession();
    session.startTransaction();
    await coll.updateOne({ _id: 1 } as never, { $inc: { v: 1 } }, { session });
    await coll.insertOne({ _id: 2 } as never, { session });
    await coll.deleteOne({ _id: 1 } as never, { session });
    await session.abortTransaction();
    expect(await coll.find({}).toArray()).toEqual([{ _id: 1, v: 1 }]);
    await session.endSession();
  });

  it('reads from a snapshot: outside commits after the first read stay invisible', async () => {
    const coll = await fresh();
    await coll.insertOne({ _id: 1, v: 'old' } as never);
    const session = t.client.startSession();
    session.startTransaction();
    expect((await coll.findOne({ _id: 1 } as never, { session }))?.v).toBe('old');
    await coll.updateOne({ _id: 1 } as never, { $set: { v: 'new' } });
    await coll.insertOne({ _id: 2 } as never);
    expect((await coll.findOne({ _id: 1 } as never, { session }))?.v).toBe('old');
    expect(await coll.countDocuments({}, { session })).toBe(1);
    await session.commitTransaction();
    await session.endSession();
    expect((await coll.findOne({ _id: 1 } as never))?.v).toBe('new');
  });

  it('gives WriteConflict (112, TransientTransactionError) to the second of two transactions writing one document', async () => {
    const coll = await fresh();
    await coll.insertOne({ _id: 1, v: 0 } as never);
    const s1 = t.client.startSession();
    const s2 = t.client.startSession();
    s1.startTransaction();
    s2.startTransaction();
    await coll.updateOne({ _id: 1 } as never, { $inc: { v: 1 } }, { session: s1 });
    await expectServerError(coll.updateOne({ _id: 1 } as never, { $inc: { v: 10 } }, { session: s2 }), {
      code: 112,
      codeName: 'WriteConflict',
      labels: ['TransientTransactionError'],
    });
    await s2.abortTransaction();
    await s1.commitTransaction();
    expect((await coll.findOne({ _id: 1 } as never))?.v).toBe(1);
    await s1.endSession();
    await s2.endSession();
  });

  it('gives WriteConflict when an outside write committed after the transaction read its snapshot', async () => {
    const coll = await fresh();
    await coll.insertOne({ _id: 1, v: 0 } as never);
    const session = t.client.startSession();
    session.startTransaction();
    await coll.findOne({ _id: 1 } as never, { session });
    await coll.updateOne({ _id: 1 } as never, { $inc: { v: 5 } });
    await expectServerError(coll.updateOne({ _id: 1 } as never, { $inc: { v: 1 } }, { session }), {
      code: 112,
      labels: ['TransientTransactionError'],
    });
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect((await coll.findOne({ _id: 1 } as never))?.v).toBe(5);
  });

  it('makes an outside write to a document the transaction wrote wait until the transaction ends', async () => {
    const coll = await fresh();
    await coll.insertOne({ _id: 1, v: 0 } as never);
    const session = t.client.startSession();
    session.startTransaction();
    await coll.updateOne({ _id: 1 } as never, { $inc: { v: 1 } }, { session });
    let done = false;
    const outside = coll.updateOne({ _id: 1 } as never, { $inc: { v: 10 } }).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(done).toBe(false);
    await session.commitTransaction();
    await outside;
    expect((await coll.findOne({ _id: 1 } as never))?.v).toBe(11);
    await session.endSession();
  });

  it('a blocked outside write with maxTimeMS fails with MaxTimeMSExpired (50) when the transaction outlasts it', async () => {
    const coll = await fresh();
    await coll.insertOne({ _id: 1, v: 0 } as never);
    const session = t.client.startSession();
    session.startTransaction();
    await coll.updateOne({ _id: 1 } as never, { $inc: { v: 1 } }, { session });
    await expectServerError(coll.updateOne({ _id: 1 } as never, { $inc: { v: 10 } }, { maxTimeMS: 150 }), {
      code: 50,
      codeName: 'MaxTimeMSExpired',
    });
    await session.commitTransaction();
    await session.endSession();
    expect((await coll.findOne({ _id: 1 } as never))?.v).toBe(1);
  });

  it('withTransaction retries on WriteConflict until both concurrent upserts land', async () => {
    const coll = await fresh();
    await coll.createIndex({ k: 1 }, { unique: true });
    const other = await t.newClient();
    const bump = async (client: typeof t.client, pause: number): Promise<void> => {
      const session = client.startSession();
      try {
        await session.withTransaction(async () => {
          await client
            .db(t.db.databaseName)
            .collection(coll.collectionName)
            .updateOne({ k: 'hot' }, { $inc: { n: 1 } }, { upsert: true, session });
          await new Promise((r) => setTimeout(r, pause));
        });
      } finally {
        await session.endSession();
      }
    };
    await Promise.all([bump(t.client, 150), bump(other, 150), bump(t.client, 50)]);
    expect(await coll.findOne({ k: 'hot' }, { projection: { _id: 0 } })).toEqual({ k: 'hot', n: 3 });
  });

  it('aborts the transaction on a write error; later statements get NoSuchTransaction (251)', async () => {
    const coll = await fresh();
    await coll.insertOne({ _id: 'dup' } as never);
    const session = t.client.startSession();
    session.startTransaction();
    await coll.insertOne({ _id: 'kept?' } as never, { session });
    await expectServerError(coll.insertOne({ _id: 'dup' } as never, { session }), { code: 11000 });
    await expectServerError(coll.insertOne({ _id: 'after' } as never, { session }), {
      code: 251,
      codeName: 'NoSuchTransaction',
      labels: ['TransientTransactionError'],
    });
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect(await coll.countDocuments()).toBe(1);
  });

  it("runs Tally's worker step: ledger insert + bulk upserts in one transaction, duplicates detected by 11000", async () => {
    const ledger = await fresh();
    const summaries = await fresh();
    await summaries.createIndex({ workspace_id: 1, user_id: 1, event_name: 1 }, { unique: true });
    const apply = async (jobId: string, at: Date): Promise<'applied' | 'duplicate'> => {
      const ops: AnyBulkWriteOperation<Document>[] = ['u1', 'u2'].map((user) => ({
        updateOne: {
          filter: { workspace_id: 'w', user_id: user, event_name: 'login' },
          update: { $inc: { count: 2 }, $min: { first: at }, $max: { last: at }, $setOnInsert: { workspace_id: 'w' } },
          upsert: true,
        },
      }));
      const session = t.client.startSession();
      try {
        await session.withTransaction(async () => {
          await ledger.insertOne({ _id: jobId, at } as never, { session });
          await summaries.bulkWrite(ops, { ordered: false, session });
        });
        return 'applied';
      } catch (err) {
        if (err instanceof MongoServerError && err.code === 11000) return 'duplicate';
        throw err;
      } finally {
        await session.endSession();
      }
    };
    const t1 = new Date('2024-01-02T00:00:00Z');
    const t0 = new Date('2024-01-01T00:00:00Z');
    expect(await apply('job-1', t1)).toBe('applied');
    expect(await apply('job-2', t0)).toBe('applied');
    expect(await apply('job-1', t1)).toBe('duplicate');
    const docs = await summaries
      .find({}, { projection: { _id: 0 } })
      .sort({ user_id: 1 })
      .toArray();
    expect(docs).toEqual([
      { workspace_id: 'w', user_id: 'u1', event_name: 'login', count: 4, first: t0, last: t1 },
      { workspace_id: 'w', user_id: 'u2', event_name: 'login', count: 4, first: t0, last: t1 },
    ]);
    expect(await ledger.countDocuments()).toBe(2);
  });
});

describe('transactionLifetimeLimitSeconds (setParameter)', () => {
  it('aborts an abandoned transaction after the limit, releasing its documents', async () => {
    const coll = await fresh();
    await coll.insertOne({ _id: 1, v: 0 } as never);
    const admin = t.client.db('admin');
    const { was } = await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 1 });
    expect(was).toBe(60);
    const abandoned = t.client.startSession();
    try {
      abandoned.startTransaction();
      await coll.updateOne({ _id: 1 } as never, { $set: { v: 1 } }, { session: abandoned });
      // A client that died mid-transaction: nobody commits or aborts. Within a few seconds the
      // server aborts it, and an outside write to the same document goes through.
      const started = Date.now();
      let applied = false;
      while (!applied && Date.now() - started < 15_000) {
        applied = await coll.updateOne({ _id: 1 } as never, { $set: { v: 2 } }, { maxTimeMS: 500 }).then(
          () => true,
          () => false,
        );
        if (!applied) await new Promise((r) => setTimeout(r, 200));
      }
      expect(applied).toBe(true);
      expect(await coll.findOne({ _id: 1 } as never)).toEqual({ _id: 1, v: 2 });
      await expectServerError(abandoned.commitTransaction(), { code: 251 });
    } finally {
      await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: was });
      await abandoned.endSession();
    }
  });

  it('refuses a limit below one second', async () => {
    await expectServerError(t.client.db('admin').command({ setParameter: 1, transactionLifetimeLimitSeconds: 0 }), { code: 2 });
  });
});
