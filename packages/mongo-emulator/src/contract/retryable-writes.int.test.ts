import type { MongoClient } from 'mongodb';
import { Long } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';
import { expectServerError } from './expect-server-error.js';

// Drivers only resend a write after a network error, so these tests send the retry themselves:
// the same command with the same session (lsid) and txnNumber, exactly what a driver retry is.
// They run on their own client, with ever-increasing numbers: drivers pool server sessions, and a
// pooled lsid that saw a high txnNumber would make the driver's own next write TransactionTooOld.
let t: ContractTarget;
let manual: MongoClient;
let txn = 1000;
const next = (): Long => Long.fromNumber(++txn);
beforeAll(async () => {
  t = await openContractTarget('retry');
  manual = await t.newClient();
});
afterAll(async () => {
  await t.close();
});

describe('retryable writes', () => {
  it('a retried update with the same lsid and txnNumber returns the first reply and is not applied twice', async () => {
    const coll = t.db.collection('counter');
    await coll.insertOne({ _id: 1, n: 0 } as never);
    const session = manual.startSession();
    const command = { update: 'counter', updates: [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], txnNumber: next() };
    const first = await manual.db(t.db.databaseName).command(command, { session });
    const retry = await manual.db(t.db.databaseName).command(command, { session });
    expect(first).toMatchObject({ n: 1, nModified: 1 });
    expect(retry).toMatchObject({ n: 1, nModified: 1 });
    expect((await coll.findOne({ _id: 1 } as never))?.n).toBe(1);
    await session.endSession();
  });

  it('a retried upsert reports the same upserted _id and inserts once', async () => {
    const coll = t.db.collection('upserts');
    const session = manual.startSession();
    const command = {
      update: 'upserts',
      updates: [{ q: { key: 'a' }, u: { $inc: { n: 1 } }, upsert: true }],
      txnNumber: next(),
    };
    const first = await manual.db(t.db.databaseName).command(command, { session });
    const retry = await manual.db(t.db.databaseName).command(command, { session });
    expect(String(retry.upserted[0]._id)).toBe(String(first.upserted[0]._id));
    expect(await coll.countDocuments()).toBe(1);
    await session.endSession();
  });

  it('a retried insert does not fail with a duplicate key', async () => {
    const session = manual.startSession();
    const command = { insert: 'inserts', documents: [{ _id: 'x' }], txnNumber: next() };
    expect(await manual.db(t.db.databaseName).command(command, { session })).toMatchObject({ n: 1 });
    const retry = await manual.db(t.db.databaseName).command(command, { session });
    expect(retry.n).toBe(1);
    expect(retry.writeErrors).toBeUndefined();
    await session.endSession();
  });

  it('refuses a txnNumber older than the session has used (225)', async () => {
    const session = manual.startSession();
    const newer = next();
    await manual.db(t.db.databaseName).command({ insert: 'old', documents: [{ a: 1 }], txnNumber: newer }, { session });
    const older = newer.subtract(1);
    await expectServerError(manual.db(t.db.databaseName).command({ insert: 'old', documents: [{ a: 2 }], txnNumber: older }, { session }), {
      code: 225,
      codeName: 'TransactionTooOld',
    });
    await session.endSession();
  });

  it('the driver itself uses retryable writes (txnNumber) without side effects', async () => {
    const coll = t.db.collection('driver');
    await coll.insertOne({ a: 1 });
    await coll.updateOne({ a: 1 }, { $inc: { b: 1 } });
    await coll.findOneAndUpdate({ a: 1 }, { $inc: { b: 1 } });
    await coll.deleteOne({ a: 1 });
    expect(await coll.countDocuments()).toBe(0);
  });
});
