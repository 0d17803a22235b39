import type { SummaryBatchJob } from '@tally/contracts';
import { createLogger } from '@tally/logger';
import { consumerConnection, JOB_CATALOG, JOBS, Queue, queueName } from '@tally/queue';
import { connectMongo, EventSummariesRepository, ensureIndexes, IngestLedgerRepository, type MongoConnection } from '@tally/store';
import {
  type FaultProxy,
  type MongoServer,
  type RedisServer,
  startFaultProxy,
  startMongo,
  startRedis,
  stopAll,
  uniqueName,
  waitFor,
} from '@tally/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSummariesWorker } from './worker.js';

const logger = createLogger({ name: 'worker', level: process.env.LOG_LEVEL ?? 'silent' });
let redis: RedisServer;
let mongoServer: MongoServer;
let proxy: FaultProxy;
let mongo: MongoConnection;
let queue: Queue;
let worker: ReturnType<typeof createSummariesWorker>;

const batch = (count: number): SummaryBatchJob => ({
  v: 1,
  requests: [{ requestId: 'r0', workspace: 'acme', summaries: [{ user_id: 'u', event_name: 'e', count, first: 1, last: 1 }] }],
});

beforeAll(async () => {
  redis = await startRedis();
  mongoServer = await startMongo();
});
beforeEach(async () => {
  const prefix = uniqueName('q');
  proxy = await startFaultProxy(mongoServer.uri);
  // The worker talks to MongoDB through the proxy, so the proxy decides what MongoDB answers.
  mongo = await connectMongo(proxy.uri, uniqueName('classify_it'));
  await ensureIndexes(mongo.db);
  queue = new Queue(queueName('summaries'), { connection: consumerConnection(redis.url), prefix });
  worker = createSummariesWorker({
    connection: consumerConnection(redis.url),
    prefix,
    concurrency: 1,
    lockDuration: 5000,
    stalledInterval: 2000,
    maxStalledCount: 10,
    logger,
    deps: {
      client: mongo.client,
      summaries: new EventSummariesRepository(mongo.db),
      ledger: new IngestLedgerRepository(mongo.db),
      transactions: true,
    },
  });
  void worker.run();
});
afterEach(async () => {
  await worker.close();
  await queue.close();
  await mongo.db.dropDatabase();
  await mongo.close();
  await proxy.close();
});
afterAll(async () => {
  await stopAll();
});

describe('what the worker retries and what it gives up on', () => {
  it.each([
    [46, 'LockBusy'],
    [13388, 'StaleConfig'],
    [64, 'WriteConcernFailed'],
  ])('retries a batch that MongoDB refused with %i %s, and applies it once', async (code, codeName) => {
    proxy.failNext('update', 1, { code, codeName });
    const job = await queue.add(JOBS.applySummaries, batch(3), JOB_CATALOG[JOBS.applySummaries].options);
    await waitFor(async () => (await job.getState()) === 'completed', { timeoutMs: 15_000, message: `${codeName}: job never completed` });
    expect(proxy.injected()).toBe(1);
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(2);
    expect(await queue.getFailedCount()).toBe(0);
    expect((await new EventSummariesRepository(mongo.db).findByUser('acme', 'u'))[0]?.count).toBe(3);
  });

  it('sends a job with an unknown name to the failed set at once instead of retrying it for hours', async () => {
    const job = await queue.add('apply-summaries-v9', batch(1), JOB_CATALOG[JOBS.applySummaries].options);
    await waitFor(async () => (await job.getState()) === 'failed', { message: 'unknown job never failed' });
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/unknown job name apply-summaries-v9/);
  });
});
