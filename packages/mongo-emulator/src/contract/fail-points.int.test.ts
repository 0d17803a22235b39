import type { Document } from 'mongodb';
import { MongoClient, MongoNetworkError, MongoWriteConcernError } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMongoEmulator } from '../index.js';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';
import { expectServerError } from './expect-server-error.js';

// mongod's failCommand fail point, as drivers' spec tests use it. Against MONGO_URL the server
// must run with --setParameter enableTestCommands=1. Each test arms the point with an appName
// filter so the suite's other clients (and the driver's monitoring) are never hit.
let t: ContractTarget;
let admin: MongoClient;
beforeAll(async () => {
  t = await openContractTarget('failpoints');
  admin = await t.newClient();
});
afterEach(async () => {
  await admin.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
});
afterAll(async () => {
  await t.close();
});

let apps = 0;
/** Arms failCommand for a fresh appName and returns a client connected under that name. */
async function armed(mode: unknown, data: Document, options: Document = {}): Promise<MongoClient> {
  const appName = `fp-${++apps}`;
  await admin.db('admin').command({ configureFailPoint: 'failCommand', mode, data: { ...data, appName } });
  return t.newClient({ appName, ...options });
}

describe('failCommand', () => {
  it('is refused (no such command) unless test commands are enabled', async () => {
    const plain = await startMongoEmulator();
    const client = new MongoClient(plain.uri);
    try {
      await expectServerError(client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'alwaysOn' }), {
        code: 59,
        message: "no such command: 'configureFailPoint'",
      });
    } finally {
      await client.close();
      await plain.close();
    }
  });

  it('{times: 2} fails the next two matching commands with the code, then lets them through', async () => {
    const client = await armed({ times: 2 }, { failCommands: ['insert'], errorCode: 2 }, { retryWrites: false });
    const coll = client.db(t.db.databaseName).collection('times');
    await expectServerError(coll.insertOne({ _id: 1 } as never), {
      code: 2,
      codeName: 'BadValue',
      message: "Failing command via 'failCommand' failpoint",
    });
    await expectServerError(coll.insertOne({ _id: 2 } as never), { code: 2 });
    await coll.insertOne({ _id: 3 } as never);
    expect(await coll.find().toArray()).toEqual([{ _id: 3 }]);
  });

  it('{skip: 1} lets the first matching command through and fails the rest; off disarms it and reports the count', async () => {
    const client = await armed({ skip: 1 }, { failCommands: ['find'], errorCode: 11600 }, { retryReads: false });
    const coll = client.db(t.db.databaseName).collection('skip');
    await coll.findOne({});
    await expectServerError(coll.findOne({}), { code: 11600, codeName: 'InterruptedAtShutdown' });
    await expectServerError(coll.findOne({}), { code: 11600 });
    const off = await admin.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
    expect(off.count).toBe(2);
    expect(await coll.findOne({})).toBeNull();
  });

  it('ignores clients with another appName and commands not listed', async () => {
    await armed('alwaysOn', { failCommands: ['insert'], errorCode: 2 });
    const coll = t.db.collection('appname');
    await coll.insertOne({ _id: 1 } as never);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('labels a retriable error on a retryable write RetryableWriteError, so the driver retries it once', async () => {
    const once = await armed({ times: 1 }, { failCommands: ['insert'], errorCode: 10107 });
    await once
      .db(t.db.databaseName)
      .collection('retry')
      .insertOne({ _id: 1 } as never);
    const twice = await armed({ times: 2 }, { failCommands: ['insert'], errorCode: 10107 });
    await expectServerError(
      twice
        .db(t.db.databaseName)
        .collection('retry')
        .insertOne({ _id: 2 } as never),
      {
        code: 10107,
        codeName: 'NotWritablePrimary',
        labels: ['RetryableWriteError'],
      },
    );
    expect(await t.db.collection('retry').find().toArray()).toEqual([{ _id: 1 }]);
  });

  it('errorLabels replace the labels the server would compute', async () => {
    const client = await armed(
      { times: 1 },
      { failCommands: ['insert'], errorCode: 10107, errorLabels: ['Custom'] },
      { retryWrites: false },
    );
    const err = await expectServerError(
      client
        .db(t.db.databaseName)
        .collection('labels')
        .insertOne({ _id: 1 } as never),
      { code: 10107, labels: ['Custom'] },
    );
    expect(err.errorLabelSet).toEqual(new Set(['Custom']));
  });

  it('closeConnection drops the connection without a reply; a retryable write is retried and applied once', async () => {
    const noRetry = await armed({ times: 1 }, { failCommands: ['insert'], closeConnection: true }, { retryWrites: false });
    await expect(
      noRetry
        .db(t.db.databaseName)
        .collection('close')
        .insertOne({ _id: 1 } as never),
    ).rejects.toBeInstanceOf(MongoNetworkError);
    const retry = await armed({ times: 1 }, { failCommands: ['insert'], closeConnection: true });
    await retry
      .db(t.db.databaseName)
      .collection('close')
      .insertOne({ _id: 2 } as never);
    expect(await t.db.collection('close').find().toArray()).toEqual([{ _id: 2 }]);
  });

  it('blockConnection holds the command for blockTimeMS while other connections go on', async () => {
    const blocked = await armed({ times: 1 }, { failCommands: ['insert'], blockConnection: true, blockTimeMS: 1500 });
    let done = false;
    const slow = blocked
      .db(t.db.databaseName)
      .collection('block')
      .insertOne({ _id: 1 } as never)
      .then(() => {
        done = true;
      });
    await t.db.collection('block').insertOne({ _id: 2 } as never);
    expect(done).toBe(false);
    await slow;
    expect(await t.db.collection('block').countDocuments()).toBe(2);
  });

  it('writeConcernError is added to a write that was applied', async () => {
    const client = await armed(
      { times: 1 },
      { failCommands: ['insert'], writeConcernError: { code: 91, errmsg: 'Replication is being shut down' } },
    );
    const err = await client
      .db(t.db.databaseName)
      .collection('wce')
      .insertOne({ _id: 1 } as never)
      .catch((e: unknown) => e);
    // The driver retries a retryable write-concern error once; the retry is not armed and the
    // retryable-write cache answers it, so the insert happens exactly once.
    expect(err).not.toBeInstanceOf(Error);
    const plain = await armed(
      { times: 1 },
      { failCommands: ['insert'], writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' } },
    );
    const failed = await plain
      .db(t.db.databaseName)
      .collection('wce')
      .insertOne({ _id: 2 } as never)
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(MongoWriteConcernError);
    expect((failed as MongoWriteConcernError).code).toBe(64);
    expect(await t.db.collection('wce').find().toArray()).toEqual([{ _id: 1 }, { _id: 2 }]);
  });

  it('in a transaction: a statement error is transient; a commit whose connection closes is retried and commits once', async () => {
    const failing = await armed({ times: 1 }, { failCommands: ['insert'], errorCode: 112 });
    const s1 = failing.startSession();
    s1.startTransaction();
    await expectServerError(
      failing
        .db(t.db.databaseName)
        .collection('txn')
        .insertOne({ _id: 1 } as never, { session: s1 }),
      {
        code: 112,
        labels: ['TransientTransactionError'],
      },
    );
    await s1.abortTransaction();
    await s1.endSession();

    const closing = await armed({ times: 1 }, { failCommands: ['commitTransaction'], closeConnection: true });
    const s2 = closing.startSession();
    s2.startTransaction();
    await closing
      .db(t.db.databaseName)
      .collection('txn')
      .insertOne({ _id: 2 } as never, { session: s2 });
    await s2.commitTransaction();
    await s2.endSession();
    expect(await t.db.collection('txn').find().toArray()).toEqual([{ _id: 2 }]);
  });
});
