import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';
import { expectServerError } from './expect-server-error.js';

// Collections and indexes created inside a transaction belong to it: others do not see them
// until it commits, and an abort removes them (MongoDB 4.4+).
let t: ContractTarget;
beforeAll(async () => {
  t = await openContractTarget('txn_ddl');
});
afterAll(async () => {
  await t.close();
});

const names = async () => (await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
const indexNames = async (coll: string) =>
  (
    await t.db
      .collection(coll)
      .listIndexes()
      .toArray()
      .catch(() => [])
  )
    .map((i) => i.name as string)
    .sort();

describe('DDL inside a transaction', () => {
  it('a collection created by create or by an insert, and its index, appear only at commit', async () => {
    const session = t.client.startSession();
    session.startTransaction();
    await t.db.createCollection('explicit', { session });
    await t.db.collection('implicit').insertOne({ _id: 1 } as never, { session });
    await t.db.collection('explicit').createIndex({ a: 1 }, { session });
    expect(await names()).toEqual([]);
    expect(await indexNames('explicit')).toEqual([]);
    await session.commitTransaction();
    await session.endSession();
    expect(await names()).toEqual(['explicit', 'implicit']);
    expect(await indexNames('explicit')).toEqual(['_id_', 'a_1']);
  });

  it('an abort removes the collections and indexes the transaction created', async () => {
    const session = t.client.startSession();
    session.startTransaction();
    await t.db.createCollection('gone', { session });
    await t.db.collection('gone').createIndex({ b: 1 }, { session });
    await session.abortTransaction();
    await session.endSession();
    expect(await names()).not.toContain('gone');
    expect(await indexNames('gone')).toEqual([]);
  });

  it('an index on a collection that existed before the transaction is refused (263)', async () => {
    await t.db.createCollection('existing');
    const session = t.client.startSession();
    session.startTransaction();
    await expectServerError(t.db.collection('existing').createIndex({ c: 1 }, { session }), {
      code: 263,
      message: /^Cannot create new indexes on existing collection .*existing in a multi-document transaction\.$/,
    });
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect(await indexNames('existing')).toEqual(['_id_']);
  });
});
