import type { SummaryBatchJob } from '@tally/contracts';
import { createLogger } from '@tally/logger';
import { consumerConnection, JOB_CATALOG, JOBS, type Job, Queue, queueName } from '@tally/queue';
import {
  COLLECTIONS,
  connectMongo,
  EventSummariesRepository,
  ensureIndexes,
  IngestLedgerRepository,
  type MongoConnection,
  RawEventsRepository,
} from '@tally/store';
import { type MongoServer, type RedisServer, startMongo, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applySummariesProcessor } from './processors/apply-summaries.processor.js';
import { createSummariesWorker } from './worker.js';

const logger = createLogger({ name: 'worker', level: process.env.LOG_LEVEL ?? 'silent' });
let redis: RedisServer;
let mongoServer: MongoServer;
let mongo: MongoConnection;
let prefix: string;
let queue: Queue;
const workers: { close(): Promise<void> }[] = [];

const payload = (
  requests: { workspace?: string; key?: string; summaries: [string, string, number, number, number][] }[],
): SummaryBatchJob => ({
  v: 1,
  requests: requests.map((r, i) => ({
    requestId: `r${i}`,
    workspace: r.workspace ?? 'acme',
    ...(r.key ? { idempotencyKey: r.key } : {}),
    summaries: r.summaries.map(([user_id, event_name, count, first, last]) => ({ user_id, event_name, count, first, last })),
  })),
});

const deps = (transactions = true) => ({
  client: mongo.client,
  summaries: new EventSummariesRepository(mongo.db),
  ledger: new IngestLedgerRepository(mongo.db),
  rawEvents: new RawEventsRepository(mongo.db),
  transactions,
});

function startWorker(concurrency = 4) {
  const worker = createSummariesWorker({
    connection: consumerConnection(redis.url),
    prefix,
    concurrency,
    lockDuration: 5000,
    stalledInterval: 2000,
    maxStalledCount: 10,
    logger,
    deps: deps(),
  });
  void worker.run();
  workers.push(worker);
  return worker;
}

const add = (data: unknown, jobId?: string) =>
  queue.add(JOBS.applySummaries, data, { ...JOB_CATALOG[JOBS.applySummaries].options, ...(jobId ? { jobId } : {}) });

const stored = async (workspace: string, user: string) => new EventSummariesRepository(mongo.db).findByUser(workspace, user);

beforeAll(async () => {
  redis = await startRedis();
  mongoServer = await startMongo();
});
beforeEach(async () => {
  prefix = uniqueName('q');
  queue = new Queue(queueName('summaries'), { connection: consumerConnection(redis.url), prefix });
  mongo = await connectMongo(mongoServer.uri, uniqueName('worker_it'));
  await ensureIndexes(mongo.db);
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await queue.close();
  await mongo.db.dropDatabase();
  await mongo.close();
});
afterAll(async () => {
  await stopAll();
});

describe('apply-summaries worker', () => {
  it('sums counts and keeps the earliest first and latest last, combining hot keys', async () => {
    startWorker();
    const job = await add(
      payload([
        {
          summaries: [
            ['u1', 'invited-friend', 2, 1000, 1100],
            ['u1', 'invited-friend', 3, 900, 1050],
          ],
        },
        {
          summaries: [
            ['u1', 'invited-friend', 1, 1200, 1300],
            ['u1', 'placed-order', 1, 500, 500],
          ],
        },
      ]),
    );
    await waitFor(async () => (await job.getState()) === 'completed', { message: 'job never completed' });
    expect(await stored('acme', 'u1')).toEqual([
      { event_name: 'invited-friend', count: 6, first: new Date(900_000), last: new Date(1_300_000) },
      { event_name: 'placed-order', count: 1, first: new Date(500_000), last: new Date(500_000) },
    ]);
    expect(await job.getState()).toBe('completed');
    expect((await queue.getJob(job.id!))?.returnvalue).toMatchObject({ status: 'applied', requests: 2, upserts: 2 });
  });

  it('applies the same job only once, however often it runs (ledger)', async () => {
    const job = (await add(payload([{ summaries: [['u', 'e', 5, 10, 20]] }]))) as Job;
    const process = applySummariesProcessor(deps());
    expect(await process(job, logger)).toMatchObject({ status: 'applied' });
    expect(await process(job, logger)).toEqual({ status: 'already-applied' });
    expect((await stored('acme', 'u'))[0]?.count).toBe(5);
    expect(await mongo.db.collection(COLLECTIONS.ingestLedger).countDocuments({ _id: `job:${job.id}` as never })).toBe(1);
  });

  it('counts a repeated Idempotency-Key once, across jobs and within one job', async () => {
    startWorker();
    const a = await add(
      payload([
        { key: 'k1', summaries: [['u', 'e', 1, 10, 10]] },
        { key: 'k1', summaries: [['u', 'e', 1, 10, 10]] },
      ]),
    );
    const b = await add(
      payload([
        { key: 'k1', summaries: [['u', 'e', 1, 10, 10]] },
        { key: 'k2', summaries: [['u', 'e', 1, 20, 20]] },
      ]),
    );
    await waitFor(async () => (await a.getState()) === 'completed' && (await b.getState()) === 'completed', {
      message: 'jobs never completed',
    });
    expect((await stored('acme', 'u'))[0]).toMatchObject({ count: 2, first: new Date(10_000), last: new Date(20_000) });
  });

  it('keeps the first body of a key reused with another, and counts and logs the mismatch', async () => {
    const process = applySummariesProcessor(deps());
    const withKey = (count: number, fingerprint: string, kind?: 'event') => ({
      v: 1,
      requests: [
        {
          requestId: `r${count}`,
          workspace: 'acme',
          idempotencyKey: 'k-reused',
          ...(kind ? { keyKind: kind } : {}),
          fingerprint,
          summaries: [{ user_id: 'u', event_name: 'e', count, first: 10, last: 10 }],
        },
      ],
    });
    expect(await process((await add(withKey(1, 'fp-one'))) as Job, logger)).toMatchObject({ status: 'applied', mismatched: 0 });
    expect(await process((await add(withKey(100, 'fp-hundred'))) as Job, logger)).toMatchObject({ replayed: 1, mismatched: 1 });
    // A raw event's key lives in its own namespace: the same string is not the client key above.
    expect(await process((await add(withKey(5, 'fp-event', 'event'))) as Job, logger)).toMatchObject({ replayed: 0, mismatched: 0 });
    expect((await stored('acme', 'u'))[0]?.count).toBe(6);
  });

  it('counts a key once when two workers race on it (write conflict, retried)', async () => {
    startWorker(8);
    startWorker(8);
    const jobs = await Promise.all(Array.from({ length: 16 }, () => add(payload([{ key: 'race', summaries: [['u', 'e', 1, 10, 10]] }]))));
    await waitFor(async () => (await Promise.all(jobs.map((j) => j.getState()))).every((s) => s === 'completed'), {
      timeoutMs: 30_000,
      message: 'jobs never completed',
    });
    expect((await stored('acme', 'u'))[0]?.count).toBe(1);
  });

  it('gives the same totals whatever order and whichever worker applies the jobs', async () => {
    startWorker(4);
    startWorker(4);
    const expected = new Map<string, number>();
    const jobs = [];
    for (let n = 0; n < 40; n += 1) {
      const user = `u${n % 5}`;
      expected.set(user, (expected.get(user) ?? 0) + n + 1);
      jobs.push(add(payload([{ summaries: [[user, 'e', n + 1, 1000 + n, 2000 + n]] }])));
    }
    await Promise.all(jobs);
    await waitFor(async () => (await queue.getCompletedCount()) === 40, { timeoutMs: 30_000, message: 'not all jobs completed' });
    for (const [user, count] of expected) {
      const [summary] = await stored('acme', user);
      const index = Number(user.slice(1));
      expect(summary).toMatchObject({ count, first: new Date((1000 + index) * 1000), last: new Date((2000 + 35 + index) * 1000) });
    }
  });

  it('keeps workspaces apart', async () => {
    startWorker();
    const job = await add(
      payload([
        { workspace: 'acme', summaries: [['u', 'e', 1, 1, 1]] },
        { workspace: 'beta', summaries: [['u', 'e', 7, 1, 1]] },
      ]),
    );
    await waitFor(async () => (await job.getState()) === 'completed');
    expect((await stored('acme', 'u'))[0]?.count).toBe(1);
    expect((await stored('beta', 'u'))[0]?.count).toBe(7);
  });

  it('sends a malformed job straight to the failed set and keeps processing others', async () => {
    startWorker();
    const bad = await add({
      v: 1,
      requests: [{ requestId: 'r', workspace: 'acme', summaries: [{ user_id: 'u', event_name: 'e', count: -4, first: 1, last: 1 }] }],
    });
    const good = await add(payload([{ summaries: [['u', 'e', 1, 1, 1]] }]));
    await waitFor(async () => (await bad.getState()) === 'failed' && (await good.getState()) === 'completed', {
      message: 'jobs did not settle',
    });
    const failed = await queue.getJob(bad.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/malformed apply-summaries payload: .*count/);
    expect((await stored('acme', 'u'))[0]?.count).toBe(1);
  });
});
