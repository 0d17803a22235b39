import { Writable } from 'node:stream';
import type { SummaryBatchJob } from '@tally/contracts';
import { createLogger } from '@tally/logger';
import {
  type FaultProxy,
  type MongoServer,
  type RedisServer,
  startFaultProxy,
  startMongo,
  startRedis,
  stopAll,
  waitFor,
} from '@tally/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWorkerHarness, type WorkerHarness } from './testing/worker-harness.js';

let redis: RedisServer;
let mongoServer: MongoServer;
let proxy: FaultProxy;
let harness: WorkerHarness;

const batch = (count: number): SummaryBatchJob => ({
  v: 1,
  requests: [{ requestId: 'r0', workspace: 'acme', summaries: [{ user_id: 'u', event_name: 'e', count, first: 1, last: 1 }] }],
});

beforeAll(async () => {
  redis = await startRedis();
  mongoServer = await startMongo();
});
beforeEach(async () => {
  proxy = await startFaultProxy(mongoServer.uri);
  // The worker talks to MongoDB through the proxy, so the proxy decides what MongoDB answers.
  harness = await startWorkerHarness(redis.url, proxy.uri);
});
afterEach(async () => {
  await harness.close();
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
    const job = await harness.add(batch(3));
    await waitFor(async () => (await job.getState()) === 'completed', { timeoutMs: 15_000, message: `${codeName}: job never completed` });
    expect(proxy.injected()).toBe(1);
    expect((await harness.queue.getJob(job.id!))?.attemptsMade).toBe(2);
    expect(await harness.queue.getFailedCount()).toBe(0);
    expect(await harness.counts('acme', 'u')).toEqual({ e: 3 });
  });

  it('logs one "will retry" warning for many jobs failing alike, not one per job', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await startWorkerHarness(redis.url, proxy.uri, createLogger({ name: 'worker', level: 'warn', destination }));
    try {
      proxy.failNext('update', 20, { code: 46, codeName: 'LockBusy' });
      const jobs = await Promise.all(Array.from({ length: 20 }, () => logged.add(batch(1))));
      await waitFor(async () => (await Promise.all(jobs.map((j) => j.getState()))).every((s) => s === 'completed'), {
        timeoutMs: 20_000,
        message: 'jobs never completed',
      });
      expect(proxy.injected()).toBe(20);
      expect(lines.filter((l) => l.includes('job failed, will retry'))).toHaveLength(1);
    } finally {
      await logged.close();
    }
  });

  it('sends a job with an unknown name to the failed set at once instead of retrying it for hours', async () => {
    const job = await harness.add(batch(1), 'apply-summaries-v9');
    await waitFor(async () => (await job.getState()) === 'failed', { message: 'unknown job never failed' });
    const failed = await harness.queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/unknown job name apply-summaries-v9/);
  });
});
