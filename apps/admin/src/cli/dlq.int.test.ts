import type { Queue } from '@tally/queue';
import { type RedisServer, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deadLetter, failingWorker, openQueue, succeedingWorker, validPayload } from '../../test/dead-letter.fixture.js';
import { runTallyCli } from '../../test/tally-cli.fixture.js';
import { dlqDrop } from './dlq-drop.command.js';
import { dlqList } from './dlq-list.command.js';
import { dlqRetry } from './dlq-retry.command.js';
import { recordingOutput } from './output.js';

let redis: RedisServer;
let queue: Queue;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
});
beforeEach(() => {
  // A fresh key prefix per test: each starts with an empty dead-letter set.
  queue = openQueue(redis.url, uniqueName('dlq'));
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await queue.close();
});
afterAll(async () => {
  await stopAll();
});

const ids = (jobs: { id?: string | undefined }[]) => jobs.map((job) => String(job.id));

describe('dlq list', { timeout: 30_000 }, () => {
  it('says so when the failed set is empty', async () => {
    const output = recordingOutput();
    expect(await dlqList(queue, { json: false, limit: 50 }, output)).toEqual({ total: 0, jobs: [] });
    expect(output.stdout).toEqual(['no failed jobs']);
  });

  it('shows id, age, attempts, reason and payload size of every failed job, as a table or JSON', async () => {
    const [malformed] = await deadLetter(queue, redis.url, [{ v: 1 }]);
    const [valid] = await deadLetter(queue, redis.url, [validPayload(3, 4)]);
    const output = recordingOutput();
    await dlqList(queue, { json: false, limit: 50 }, output, () => (valid?.timestamp ?? 0) + 90_000);
    const [header, rule, newest, oldest, blank, footer] = output.stdout;
    expect(header).toMatch(/^ID\s+AGE\s+FAILED\s+ATTEMPTS\s+REQUESTS\s+SUMMARIES\s+REASON$/);
    expect(rule).toMatch(/^-+( +-+){6}$/);
    expect(newest).toMatch(
      new RegExp(`^${valid?.id}\\s+1m 30s\\s+.*\\sago\\s+1\\s+3\\s+12\\s+cannot apply job: test refuses every write$`),
    );
    expect(oldest).toMatch(new RegExp(`^${malformed?.id}\\s.*\\s1\\s+\\?\\s+\\?\\s+malformed apply-summaries payload`));
    expect(blank).toBe('');
    expect(footer).toBe('2 failed jobs');

    const json = recordingOutput();
    await dlqList(queue, { json: true, limit: 1 }, json);
    const parsed = JSON.parse(json.stdout.join('\n'));
    expect(parsed).toMatchObject({ queue: 'summaries', prefix: queue.opts.prefix, total: 2 });
    expect(parsed.jobs).toEqual([expect.objectContaining({ id: valid?.id, attemptsMade: 1, requests: 3, summaries: 12 })]);

    const limited = recordingOutput();
    await dlqList(queue, { json: false, limit: 1 }, limited);
    expect(limited.stdout.at(-1)).toBe('showing 1 of 2 failed jobs (--limit 0 shows all)');
  });
});

describe('dlq retry', { timeout: 60_000 }, () => {
  it('--id moves the job back to the queue with a fresh set of attempts, and a worker then applies it', async () => {
    const [job, other] = await deadLetter(queue, redis.url, [validPayload(1, 1), validPayload(1, 1)]);
    const output = recordingOutput();
    const outcome = await dlqRetry(queue, { kind: 'ids', ids: [String(job?.id)] }, output, { json: false });
    expect(outcome).toEqual({ done: [String(job?.id)], problems: [] });
    expect(output.stdout).toEqual(['retried 1 failed job']);
    expect(await queue.getJobState(String(job?.id))).toBe('waiting');
    expect((await queue.getJob(String(job?.id)))?.attemptsMade).toBe(0);
    expect(await queue.getJobState(String(other?.id))).toBe('failed');

    const worker = succeedingWorker(redis.url, String(queue.opts.prefix));
    closers.push(() => worker.close());
    await waitFor(async () => (await queue.getJobState(String(job?.id))) === 'completed', {
      timeoutMs: 10_000,
      message: 're-driven job completed',
    });
  });

  it('--id reports ids it cannot retry and leaves live jobs alone', async () => {
    const [failed] = await deadLetter(queue, redis.url, [validPayload(1, 1)]);
    const [waiting] = await queue.addBulk([{ name: 'apply-summaries', data: validPayload(1, 1) }]);
    const output = recordingOutput();
    const outcome = await dlqRetry(queue, { kind: 'ids', ids: [String(failed?.id), String(waiting?.id), 'no-such-id'] }, output, {
      json: true,
    });
    expect(outcome.done).toEqual([String(failed?.id)]);
    expect(outcome.problems).toEqual([
      { id: String(waiting?.id), reason: 'is waiting, not failed: left alone' },
      { id: 'no-such-id', reason: 'no such job' },
    ]);
    expect(JSON.parse(output.stdout.join(''))).toEqual({ retried: [String(failed?.id)], problems: outcome.problems });
  });

  it('--all re-drives the failed set as it was, with progress, even while re-driven jobs fail again', async () => {
    const jobs = await deadLetter(
      queue,
      redis.url,
      Array.from({ length: 1200 }, (_, i) => (i % 2 === 0 ? validPayload(1, 2) : { v: 1 })),
    );
    // A worker that fails everything runs during the re-drive: jobs come straight back into the
    // failed set, and a re-drive that walked the live set would never end.
    const worker = failingWorker(redis.url, String(queue.opts.prefix));
    closers.push(() => worker.close());
    const output = recordingOutput();
    const outcome = await dlqRetry(queue, { kind: 'all' }, output, { json: false });
    expect(outcome.problems).toEqual([]);
    expect(new Set(outcome.done)).toEqual(new Set(ids(jobs)));
    expect(output.stdout).toEqual(['retried 1,200 failed jobs']);
    expect(output.stderr.at(-1)).toBe('retried 1,200 / 1,200 (100%)');
    await waitFor(async () => (await queue.getFailedCount()) === 1200, { timeoutMs: 20_000, message: 're-driven jobs failed again' });
    expect((await queue.getJob(String(jobs[0]?.id)))?.attemptsMade).toBe(1);
  });

  it('--all with nothing to do says so', async () => {
    const output = recordingOutput();
    expect(await dlqRetry(queue, { kind: 'all' }, output, { json: false })).toEqual({ done: [], problems: [] });
    expect(output.stdout).toEqual(['no failed jobs to retry']);
  });
});

describe('dlq drop', { timeout: 60_000 }, () => {
  it('--id deletes a failed job and refuses to delete a live one', async () => {
    const [failed] = await deadLetter(queue, redis.url, [validPayload(1, 1)]);
    const [waiting] = await queue.addBulk([{ name: 'apply-summaries', data: validPayload(1, 1) }]);
    const output = recordingOutput();
    const outcome = await dlqDrop(queue, { kind: 'ids', ids: [String(failed?.id), String(waiting?.id)] }, output, { json: false });
    expect(outcome).toEqual({
      done: [String(failed?.id)],
      problems: [{ id: String(waiting?.id), reason: 'is waiting, not failed: left alone' }],
    });
    expect(output.stdout).toEqual(['dropped 1 failed job; 1 could not be dropped']);
    expect(output.stderr).toEqual([`job ${waiting?.id}: is waiting, not failed: left alone`]);
    expect(await queue.getJob(String(failed?.id))).toBeUndefined();
    expect(await queue.getJobState(String(waiting?.id))).toBe('waiting');
  });

  it('--all deletes every failed job in batches and nothing else', async () => {
    const failed = await deadLetter(
      queue,
      redis.url,
      Array.from({ length: 1500 }, () => ({ v: 1 })),
    );
    const [waiting] = await queue.addBulk([{ name: 'apply-summaries', data: validPayload(1, 1) }]);
    const output = recordingOutput();
    const outcome = await dlqDrop(queue, { kind: 'all' }, output, { json: false });
    expect(new Set(outcome.done)).toEqual(new Set(ids(failed)));
    expect(output.stdout).toEqual(['dropped 1,500 failed jobs']);
    expect(output.stderr.at(-1)).toBe('dropped 1,500 / 1,500 (100%)');
    expect(await queue.getFailedCount()).toBe(0);
    expect(await queue.getJob(String(failed[0]?.id))).toBeUndefined();
    expect(await queue.getJobState(String(waiting?.id))).toBe('waiting');
  });
});

describe('tally dlq against a slow Redis', { timeout: 60_000 }, () => {
  it('waits for answers that take seconds instead of failing after one (a loaded host)', async () => {
    const admin = new Redis(redis.url);
    try {
      // Every command is held for 6 s from now: the CLI starts meanwhile, and its first commands
      // wait for the rest of the pause, seconds more than the admin's 1 s command timeout.
      await admin.call('CLIENT', 'PAUSE', '6000', 'ALL');
      const run = await runTallyCli(['dlq', 'list', '--json'], { REDIS_URL: redis.url, QUEUE_PREFIX: uniqueName('dlq_slow') });
      expect(run.stderr).not.toMatch(/timed out/);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ total: 0 });
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      admin.disconnect();
    }
  });
});
