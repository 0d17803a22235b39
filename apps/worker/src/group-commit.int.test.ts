import type { SummaryBatchJob } from '@tally/contracts';
import type { Job } from '@tally/queue';
import { COLLECTIONS, IngestLedgerRepository, summaryId } from '@tally/store';
import { type MongoServer, type RedisServer, startMongo, startRedis, stopAll, waitFor } from '@tally/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyOutcome } from './processors/apply-summaries.processor.js';
import { LONE, REPLACEMENT } from './testing/poison-names.js';
import { startWorkerHarness, type WorkerHarness } from './testing/worker-harness.js';

// Worker group commit with a real BullMQ worker (concurrency 8), real Redis and the emulator.
// The first job's transaction is held (see holdFirstTransaction), so the jobs added meanwhile
// are all held by the worker while a transaction is under way: exactly when they must gather.
let redis: RedisServer;
let mongoServer: MongoServer;
let harness: WorkerHarness;

type Summary = [user: string, event: string];
const job = (requestId: string, summaries: Summary[], extra: { idempotencyKey?: string; fingerprint?: string } = {}): SummaryBatchJob => ({
  v: 1,
  requests: [
    {
      requestId,
      workspace: 'acme',
      ...extra,
      summaries: summaries.map(([user_id, event_name]) => ({ user_id, event_name, count: 1, first: 1, last: 1 })),
    },
  ],
});

beforeAll(async () => {
  redis = await startRedis();
  mongoServer = await startMongo();
});
beforeEach(async () => {
  harness = await startWorkerHarness(redis.url, mongoServer.uri, undefined, { concurrency: 8 });
});
afterEach(async () => {
  await harness.close();
});
afterAll(async () => {
  await stopAll();
});

/**
 * Adds a first job and holds its transaction until `release` is called: the test's own
 * transaction writes the document the job upserts first, so the job's transaction meets a
 * WriteConflict and the driver retries it until the test aborts. Whatever the machine's load,
 * the jobs added meanwhile are all held by the worker while a transaction is under way.
 */
async function holdFirstTransaction(): Promise<{ first: Job; release: () => Promise<void> }> {
  const session = harness.mongo.client.startSession();
  session.startTransaction();
  await harness.mongo.db
    .collection<{ _id: string }>(COLLECTIONS.eventSummaries)
    .updateOne({ _id: summaryId('acme', 'u', 'e') }, { $set: { held: true } }, { upsert: true, session });
  const first = await harness.add(job('first', [['u', 'e']]));
  // Not merely 'active' in BullMQ (its processor may not have reached MongoDB yet): its
  // transaction has met the test's and is being re-run, so it is under way until released.
  await waitFor(async () => harness.transactionRetries() > 0, {
    timeoutMs: 10_000,
    message: "the first job's transaction never met the test's",
  });
  return {
    first,
    release: async () => {
      await session.abortTransaction();
      await session.endSession();
    },
  };
}

/** Adds jobs and waits until the worker holds every one of them (they gather behind the held transaction). */
async function addWhileStalled(jobs: { data: SummaryBatchJob; id?: string }[]): Promise<Job[]> {
  const added: Job[] = [];
  for (const j of jobs) added.push(await harness.add(j.data, undefined, j.id));
  await waitFor(async () => (await Promise.all(added.map((a) => a.getState()))).every((s) => s !== 'waiting'), {
    timeoutMs: 10_000,
    message: 'the worker never took the jobs',
  });
  return added;
}

const settled = (jobs: Job[]) =>
  waitFor(async () => (await Promise.all(jobs.map((j) => j.getState()))).every((s) => s === 'completed' || s === 'failed'), {
    timeoutMs: 20_000,
    message: 'the jobs never finished',
  });

const outcomeOf = async (j: Job): Promise<ApplyOutcome> => (await harness.queue.getJob(j.id!))!.returnvalue as ApplyOutcome;

/** Ledger entries that stand for jobs (not keys): one per transaction that applied jobs. */
const jobEntries = () =>
  harness.mongo.db
    .collection<{ kind: string; jobs?: string[] }>(COLLECTIONS.ingestLedger)
    .find({ kind: { $ne: 'key' } })
    .toArray();

describe('jobs the worker holds while a transaction is under way', () => {
  it('commit together: one ledger entry and one upsert per hot key for all of them', async () => {
    const { first, release } = await holdFirstTransaction();
    const later = await addWhileStalled(
      ['a', 'b', 'c', 'd', 'e'].map((id) => ({
        data: job(id, [
          ['u', 'e'],
          [`user-${id}`, 'e'],
        ]),
      })),
    );
    await release();
    await settled([first, ...later]);

    expect(await harness.counts('acme', 'u')).toEqual({ e: 6 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) expect(await harness.counts('acme', `user-${id}`)).toEqual({ e: 1 });
    const entries = await jobEntries();
    expect(entries.map((e) => e.jobs?.length).sort()).toEqual([1, 5]);
    const outcomes = await Promise.all(later.map(outcomeOf));
    // 'u'/'e' once for all five jobs, plus each job's own user; the writes are reported once.
    expect(outcomes.reduce((n, o) => n + (o.status === 'applied' ? o.upserts : 0), 0)).toBe(6);
    expect(outcomes.map((o) => (o.status === 'applied' ? o.transactionJobs : 0))).toEqual([5, 5, 5, 5, 5]);
  }, 60_000);

  it('an already-applied job among them contributes nothing, and a key repeated across them counts once', async () => {
    // What a job committed by a worker that died before BullMQ heard of it leaves behind.
    await new IngestLedgerRepository(harness.mongo.db).record('done-before', []);
    const { first, release } = await holdFirstTransaction();
    const later = await addWhileStalled([
      { data: job('replayed-job', [['u', 'e']]), id: 'done-before' },
      { data: job('k1', [['u', 'e']], { idempotencyKey: 'key-1', fingerprint: 'f1' }) },
      { data: job('k1-again', [['u', 'e']], { idempotencyKey: 'key-1', fingerprint: 'f1' }) },
      { data: job('plain', [['u', 'e']]) },
    ]);
    await release();
    await settled([first, ...later]);

    expect(await harness.counts('acme', 'u')).toEqual({ e: 3 });
    const [replayed, key, keyAgain, plain] = await Promise.all(later.map(outcomeOf));
    expect(replayed).toEqual({ status: 'already-applied' });
    expect(key).toMatchObject({ status: 'applied', requests: 1, transactionJobs: 4 });
    expect(keyAgain).toMatchObject({ status: 'applied', requests: 0, replayed: 1, transactionJobs: 4 });
    expect(plain).toMatchObject({ status: 'applied', requests: 1, transactionJobs: 4 });
    const shared = (await jobEntries()).find((e) => e.kind === 'jobs');
    expect(shared?.jobs?.sort()).toEqual(
      later
        .slice(1)
        .map((j) => j.id)
        .sort(),
    );
  }, 60_000);

  it('a poisoned job among them does not stop the others and ends alone in the failed set', async () => {
    const { first, release } = await holdFirstTransaction();
    const later = await addWhileStalled([
      { data: job('before', [['u', 'e']]) },
      {
        data: job('poison', [
          ['p', LONE],
          ['p', REPLACEMENT],
        ]),
      },
      { data: job('after', [['u', 'e']]) },
    ]);
    await release();
    await settled([first, ...later]);

    expect(await Promise.all(later.map((j) => j.getState()))).toEqual(['completed', 'failed', 'completed']);
    expect(await harness.counts('acme', 'u')).toEqual({ e: 3 });
    expect(await harness.counts('acme', 'p')).toEqual({});
    const failed = await harness.queue.getJob(later[1]!.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/1 of 1 requests cannot be applied .*request poison: E11000/);
    expect(await harness.queue.getFailedCount()).toBe(1);
  }, 60_000);
});
