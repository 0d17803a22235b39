import type { SummaryBatchJob } from '@tally/contracts';
import { createLogger } from '@tally/logger';
import { addToSummaryBacklog, SUMMARY_BACKLOG_SUFFIX, summariesByWorkspace } from '@tally/queue';
import { COLLECTIONS, EventSummariesRepository, IngestLedgerRepository, RawEventsRepository } from '@tally/store';
import { type MongoServer, type RedisServer, startMongo, startRedis, stopAll, waitFor } from '@tally/testing';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyBisecting } from './processors/bisect-batch.js';
import { LONE, REPLACEMENT } from './testing/poison-names.js';
import { startWorkerHarness, type WorkerHarness } from './testing/worker-harness.js';

let redis: RedisServer;
let mongoServer: MongoServer;
let harness: WorkerHarness;

type Request = [requestId: string, workspace: string, eventNames: string[]];
const job = (requests: Request[]): SummaryBatchJob => ({
  v: 1,
  requests: requests.map(([requestId, workspace, names]) => ({
    requestId,
    workspace,
    summaries: names.map((event_name) => ({ user_id: 'u', event_name, count: 1, first: 1, last: 1 })),
  })),
});

beforeAll(async () => {
  redis = await startRedis();
  mongoServer = await startMongo();
});
beforeEach(async () => {
  harness = await startWorkerHarness(redis.url, mongoServer.uri);
});
afterEach(async () => {
  await harness.close();
});
afterAll(async () => {
  await stopAll();
});

describe('a request MongoDB refuses for good', () => {
  it("does not hold back another workspace's request in the same batch, nor stay in the backlog", async () => {
    const data = job([
      ['poison', 'beta', [LONE, REPLACEMENT]],
      ['innocent', 'acme', ['signed-up']],
    ]);
    const backlogKey = harness.queue.toKey(SUMMARY_BACKLOG_SUFFIX);
    const client = (await harness.queue.getBackend().client) as unknown as Redis;
    // What the ingress counts when it queues a job; the worker must take it out again.
    await addToSummaryBacklog(client, backlogKey, summariesByWorkspace(data));
    const added = await harness.add(data);
    await waitFor(async () => (await added.getState()) === 'failed', { timeoutMs: 15_000, message: 'the poisoned job never failed' });
    expect(await harness.counts('acme', 'u')).toEqual({ 'signed-up': 1 });
    const failed = await harness.queue.getJob(added.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/1 of 2 requests cannot be applied .*workspace beta request poison: E11000/);
    expect((failed?.data as SummaryBatchJob | undefined)?.requests.map((r) => r.requestId)).toEqual(['poison']);
    expect(await client.hgetall(backlogKey)).toEqual({});
  });

  it('applies everything else exactly once, and `dlq retry` applies the poisoned request once its cause is fixed', async () => {
    await new EventSummariesRepository(harness.mongo.db).apply([
      { workspace: 'beta', user_id: 'u', event_name: REPLACEMENT, count: 5, first: new Date(0), last: new Date(0) },
    ]);
    const requests: Request[] = [
      ['a1', 'acme', ['a']],
      ['b1', 'beta', ['b']],
      ['a2', 'acme', ['c']],
      ['b2', 'beta', [LONE]],
      ['a3', 'acme', ['d']],
    ];
    const added = await harness.add(job(requests));
    await waitFor(async () => (await added.getState()) === 'failed', { timeoutMs: 15_000, message: 'the poisoned job never failed' });
    expect(await harness.counts('acme', 'u')).toEqual({ a: 1, c: 1, d: 1 });
    expect(await harness.counts('beta', 'u')).toEqual({ b: 1, [REPLACEMENT]: 5 });

    // The operator removes the document the poisoned name collides with and re-drives the job
    // the way `tally dlq retry` does.
    await harness.mongo.db.collection(COLLECTIONS.eventSummaries).deleteOne({ workspace: 'beta', event_name: REPLACEMENT });
    await (await harness.queue.getJob(added.id!))!.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    await waitFor(async () => (await added.getState()) === 'completed', {
      timeoutMs: 15_000,
      message: 'the re-driven job never completed',
    });
    expect(await harness.counts('acme', 'u')).toEqual({ a: 1, c: 1, d: 1 });
    expect(await harness.counts('beta', 'u')).toEqual({ b: 1, [REPLACEMENT]: 1 });
    expect(await harness.queue.getFailedCount()).toBe(0);
  });
});

describe('a split job run again (a crash between its parts, or a stalled duplicate)', () => {
  it('finds every applied part in the ledger and counts nothing twice', async () => {
    const deps = {
      client: harness.mongo.client,
      summaries: new EventSummariesRepository(harness.mongo.db),
      ledger: new IngestLedgerRepository(harness.mongo.db),
      rawEvents: new RawEventsRepository(harness.mongo.db),
      transactions: true,
    };
    const { requests } = job([
      ['a1', 'acme', ['a']],
      ['b1', 'beta', [LONE, REPLACEMENT]],
      ['a2', 'acme', ['b']],
    ]);
    const log = createLogger({ name: 'worker', level: 'silent' });
    const first = await applyBisecting(deps, 'job-1', requests, log);
    const second = await applyBisecting(deps, 'job-1', requests, log);
    expect(first).toMatchObject({ requests: 2, poisoned: [{ request: { requestId: 'b1' } }] });
    expect(second).toMatchObject({ requests: 0, poisoned: [{ request: { requestId: 'b1' } }] });
    expect(await harness.counts('acme', 'u')).toEqual({ a: 1, b: 1 });
  });
});
