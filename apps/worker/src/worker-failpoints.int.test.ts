import type { SummaryBatchJob } from '@tally/contracts';
import { createLogger } from '@tally/logger';
import { consumerConnection, JOB_CATALOG, JOBS, Queue, queueName, type Worker } from '@tally/queue';
import {
  connectMongo,
  EventSummariesRepository,
  ensureIndexes,
  IngestLedgerRepository,
  type MongoConnection,
  RawEventsRepository,
} from '@tally/store';
import { type MongoServer, type RedisServer, startMongo, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import type { Document } from 'mongodb';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSummariesWorker } from './worker.js';

// MongoDB's own failCommand fail point (test commands are on in the mongo fixture; a real mongod
// needs --setParameter enableTestCommands=1) makes the server itself fail, drop or stall the
// worker's commands. Armed for appName 'tally' (the store's client), so the test's own reads
// are never hit. In each case every acknowledged summary must be applied exactly once.
let redis: RedisServer;
let mongoServer: MongoServer;
let admin: MongoClient;
let mongo: MongoConnection;
let queue: Queue;
let worker: Worker;

const batch = (requestId: string, user: string, count: number): SummaryBatchJob => ({
  v: 1,
  requests: [{ requestId, workspace: 'acme', summaries: [{ user_id: user, event_name: 'e', count, first: 1, last: 1 }] }],
});

async function failPoint(data: Document, mode: unknown = { times: 1 }): Promise<void> {
  await admin.db('admin').command({ configureFailPoint: 'failCommand', mode, data: { appName: 'tally', ...data } });
}

beforeAll(async () => {
  redis = await startRedis();
  mongoServer = await startMongo();
  admin = new MongoClient(mongoServer.uri);
  await admin.connect();
});
beforeEach(async () => {
  const prefix = uniqueName('q');
  mongo = await connectMongo(mongoServer.uri, uniqueName('worker_fp'));
  await ensureIndexes(mongo.db);
  queue = new Queue(queueName('summaries'), { connection: consumerConnection(redis.url), prefix });
  worker = createSummariesWorker({
    connection: consumerConnection(redis.url),
    prefix,
    concurrency: 1,
    lockDuration: 5000,
    stalledInterval: 2000,
    maxStalledCount: 10,
    logger: createLogger({ name: 'worker', level: process.env.LOG_LEVEL ?? 'silent' }),
    deps: {
      client: mongo.client,
      summaries: new EventSummariesRepository(mongo.db),
      rawEvents: new RawEventsRepository(mongo.db),
      ledger: new IngestLedgerRepository(mongo.db),
      transactions: true,
    },
  });
  void worker.run();
});
afterEach(async () => {
  await admin.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
  await worker.close();
  await queue.close();
  await mongo.db.dropDatabase();
  await mongo.close();
});

const add = (data: SummaryBatchJob) => queue.add(JOBS.applySummaries, data, JOB_CATALOG[JOBS.applySummaries].options);
const counts = async (user: string): Promise<Record<string, number>> =>
  Object.fromEntries((await new EventSummariesRepository(mongo.db).findByUser('acme', user)).map((s) => [s.event_name, s.count]));
afterAll(async () => {
  await admin.close();
  await stopAll();
});

/** Disarms the fail point and returns how many commands it hit: proof the worker met the fault. */
async function timesFired(): Promise<number> {
  const reply = await admin.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
  return reply.count as number;
}

/** Adds two jobs (the first meets the fault), waits for both, and returns the stored counts. */
async function applyTwoJobs(timeoutMs = 20_000): Promise<Record<string, number>[]> {
  const first = await add(batch('r1', 'u1', 3));
  const second = await add(batch('r2', 'u2', 4));
  for (const job of [first, second]) {
    await waitFor(async () => (await job.getState()) === 'completed', { timeoutMs, message: `job ${job.id} never completed` });
  }
  expect(await queue.getFailedCount()).toBe(0);
  return [await counts('u1'), await counts('u2')];
}

describe('the worker against MongoDB fail points', () => {
  it('a WriteConflict on the upserts (transient): the transaction is retried and applied once', async () => {
    await failPoint({ failCommands: ['update'], errorCode: 112 });
    expect(await applyTwoJobs()).toEqual([{ e: 3 }, { e: 4 }]);
    expect(await timesFired()).toBe(1);
  });

  it('NotWritablePrimary (10107) with RetryableWriteError on commit: the commit is retried and applied once', async () => {
    await failPoint({ failCommands: ['commitTransaction'], errorCode: 10107, errorLabels: ['RetryableWriteError'] });
    expect(await applyTwoJobs()).toEqual([{ e: 3 }, { e: 4 }]);
    expect(await timesFired()).toBe(1);
  });

  it('NotWritablePrimary (10107) with RetryableWriteError on a statement inside the transaction: applied once', async () => {
    await failPoint({ failCommands: ['update'], errorCode: 10107, errorLabels: ['RetryableWriteError'] });
    expect(await applyTwoJobs()).toEqual([{ e: 3 }, { e: 4 }]);
    expect(await timesFired()).toBe(1);
  });

  it('a write-concern error on a commit that did commit: applied once, not twice', async () => {
    await failPoint({
      failCommands: ['commitTransaction'],
      writeConcernError: {
        code: 64,
        codeName: 'WriteConcernFailed',
        errmsg: 'waiting for replication timed out',
        errInfo: { wtimeout: true },
      },
    });
    expect(await applyTwoJobs()).toEqual([{ e: 3 }, { e: 4 }]);
    expect(await timesFired()).toBe(1);
  });

  it('the connection closes mid-commit (commit result unknown): applied once', async () => {
    await failPoint({ failCommands: ['commitTransaction'], closeConnection: true });
    expect(await applyTwoJobs()).toEqual([{ e: 3 }, { e: 4 }]);
    expect(await timesFired()).toBe(1);
  });

  it('the server blocks the upserts for 5 seconds: applied once', async () => {
    await failPoint({ failCommands: ['update'], blockConnection: true, blockTimeMS: 5000 });
    expect(await applyTwoJobs(40_000)).toEqual([{ e: 3 }, { e: 4 }]);
    expect(await timesFired()).toBe(1);
  }, 60_000);
});
