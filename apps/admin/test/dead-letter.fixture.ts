import {
  consumerConnection,
  JOB_CATALOG,
  JOBS,
  type Job,
  parseJobPayload,
  Queue,
  queueName,
  UnrecoverableError,
  Worker,
} from '@tally/queue';
import { waitFor } from '@tally/testing';
import { operatorConnection } from '../src/redis-connection.js';

/**
 * Test fixtures for the dead-letter set, against a real Redis: jobs get into the failed set the
 * way they do in production, through a BullMQ worker that throws `UnrecoverableError`, never by
 * writing BullMQ's keys by hand. Not part of the build (tsconfig.build.json excludes it).
 */

/** A valid `apply-summaries` payload with `requests` requests of `perRequest` summaries each. */
export function validPayload(requests: number, perRequest: number) {
  return {
    v: 1 as const,
    requests: Array.from({ length: requests }, (_, r) => ({
      requestId: `req-${r}`,
      workspace: 'acme',
      summaries: Array.from({ length: perRequest }, (_, s) => ({
        user_id: `u${s}`,
        event_name: 'signed-up',
        count: 1,
        first: 1_700_000_000,
        last: 1_700_000_000,
      })),
    })),
  };
}

/** The summaries queue under a private key prefix, as the admin and the CLI open it. */
export function openQueue(redisUrl: string, prefix: string): Queue {
  return new Queue(queueName('summaries'), { connection: operatorConnection(redisUrl), prefix });
}

/** Adds jobs with the production job options (1000 attempts, kept when failed). */
export async function addJobs(queue: Queue, payloads: readonly unknown[]): Promise<Job[]> {
  const { options } = JOB_CATALOG[JOBS.applySummaries];
  return queue.addBulk(payloads.map((data) => ({ name: JOBS.applySummaries, data, opts: options })));
}

/**
 * A worker that fails every job for good, as the real worker does for a malformed payload
 * (and, for a valid one, as it does when MongoDB rejects the write for a non-transient reason).
 */
export function failingWorker(redisUrl: string, prefix: string, name = queueName('summaries')): Worker {
  return new Worker(
    name,
    async (job: Job) => {
      const parsed = parseJobPayload(JOBS.applySummaries, job.data);
      if (!parsed.success)
        throw new UnrecoverableError(`malformed ${JOBS.applySummaries} payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      throw new UnrecoverableError('cannot apply job: test refuses every write');
    },
    { connection: consumerConnection(redisUrl), prefix, concurrency: 50 },
  );
}

/** A worker that completes every job, standing in for a healthy worker after a re-drive. */
export function succeedingWorker(redisUrl: string, prefix: string): Worker {
  return new Worker(queueName('summaries'), async () => ({ status: 'applied' }), {
    connection: consumerConnection(redisUrl),
    prefix,
    concurrency: 50,
  });
}

/** Adds `payloads` and runs a failing worker until every one of them is in the failed set. */
export async function deadLetter(queue: Queue, redisUrl: string, payloads: readonly unknown[]): Promise<Job[]> {
  const before = await queue.getFailedCount();
  const worker = failingWorker(redisUrl, String(queue.opts.prefix), queue.name);
  try {
    const jobs = await addJobs(queue, payloads);
    await waitFor(async () => (await queue.getFailedCount()) >= before + payloads.length, {
      timeoutMs: 20_000,
      message: `${payloads.length} jobs in the failed set`,
    });
    return jobs;
  } finally {
    await worker.close();
  }
}
