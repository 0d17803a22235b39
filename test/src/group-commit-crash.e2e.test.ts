import { consumerConnection, Queue, queueName } from '@tally/queue';
import { COLLECTIONS } from '@tally/store';
import { waitFor } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from './support/client.js';
import { QUICK_STALL_ENV, type Stack, startStack } from './support/stack.js';

describe('a worker killed after a transaction several jobs shared committed, before BullMQ heard of them', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ingresses: 1, workers: 0, env: QUICK_STALL_ENV });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('applies none of those jobs twice when another worker retries them', async () => {
    const acme = client(stack.ingresses[0]!.url);
    // One request at a time: one job each, all waiting before any worker runs.
    const requests = 30;
    for (let i = 0; i < requests; i += 1) {
      const answer = await acme.postSummaries({ user_id: 'erin', event_summaries: { event_name: 'e', count: 1, first: 10, last: 20 } });
      expect(answer.status).toBe(200);
    }
    // The worker takes the first job alone; those it takes meanwhile share the next transaction.
    const crashing = await stack.addWorker({}, 'test/src/fixtures/crash-after-shared-commit.worker.ts');
    expect((await crashing.exited).signal).toBe('SIGKILL');
    const shared = await stack.db.db.collection<{ jobs: string[] }>(COLLECTIONS.ingestLedger).findOne({ kind: 'jobs' });
    expect(shared?.jobs.length).toBeGreaterThan(1);
    const appliedBeforeCrash = (await acme.summary('erin')).events[0]?.count ?? 0;
    expect(appliedBeforeCrash).toBeGreaterThanOrEqual(shared!.jobs.length);

    await stack.addWorker();
    const queue = new Queue(queueName('summaries'), { connection: consumerConnection(stack.redis.url), prefix: stack.env.QUEUE_PREFIX! });
    try {
      const completed = await waitFor(
        async () => {
          const done = await queue.getCompleted(0, requests);
          return done.length === requests ? done : null;
        },
        { timeoutMs: 60_000, message: 'the stalled jobs were never completed by the second worker' },
      );
      // The second worker found the shared transaction's jobs in the ledger and applied nothing for them.
      for (const id of shared!.jobs) expect(completed.find((j) => j.id === id)?.returnvalue).toEqual({ status: 'already-applied' });
    } finally {
      await queue.close();
    }
    expect((await acme.summary('erin')).events[0]?.count).toBe(requests);
  }, 120_000);
});
