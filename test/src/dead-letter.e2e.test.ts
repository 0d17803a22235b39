import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { consumerConnection, JOB_CATALOG, JOBS, Queue, queueName } from '@tally/queue';
import { tsEntryCommand, waitFor } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from './support/client.js';
import { type Stack, startStack } from './support/stack.js';

const run = promisify(execFile);

describe('a poison job: the failed set and the dlq CLI', () => {
  let stack: Stack;
  let queue: Queue;
  const tally = async (...args: string[]) => {
    const { command, args: base, cwd } = tsEntryCommand('apps/admin/src/cli.ts');
    return run(command, [...base, ...args], {
      cwd,
      env: { ...process.env, REDIS_URL: stack.env.REDIS_URL, QUEUE_PREFIX: stack.env.QUEUE_PREFIX },
    });
  };

  beforeAll(async () => {
    stack = await startStack({ ingresses: 1, workers: 1 });
    queue = new Queue(queueName('summaries'), { connection: consumerConnection(stack.redis.url), prefix: stack.env.QUEUE_PREFIX! });
  });
  afterAll(async () => {
    await queue.close();
    await stack.stop();
  });

  it('fails for good at once, blocks nothing, and is re-driven once fixed', async () => {
    // A payload no ingress would produce (a negative count): what a bug or a hand-made job looks like.
    const poison = await queue.add(
      JOBS.applySummaries,
      {
        v: 1,
        requests: [
          { requestId: 'r-poison', workspace: 'acme', summaries: [{ user_id: 'frank', event_name: 'e', count: -4, first: 10, last: 10 }] },
        ],
      },
      JOB_CATALOG[JOBS.applySummaries].options,
    );
    const api = client(stack.ingresses[0]!.url);
    expect(
      (await api.postSummaries({ user_id: 'grace', event_summaries: { event_name: 'e', count: 2, first: 10, last: 10 } })).status,
    ).toBe(200);
    await waitFor(async () => (await poison.getState()) === 'failed', {
      timeoutMs: 20_000,
      message: 'the poison job never reached the failed set',
    });
    await waitFor(async () => (await api.summary('grace')).events[0]?.count === 2, {
      timeoutMs: 20_000,
      message: 'a good job was blocked',
    });
    expect((await queue.getJob(poison.id!))?.attemptsMade).toBe(1);

    const listed = JSON.parse((await tally('dlq', 'list', '--json')).stdout) as {
      total: number;
      jobs: { id: string; failedReason: string }[];
    };
    expect(listed.total).toBe(1);
    expect(listed.jobs[0]).toMatchObject({ id: poison.id });
    expect(listed.jobs[0]?.failedReason).toMatch(/malformed apply-summaries payload.*count/);

    // The operator fixes the payload, then re-drives it.
    await (await queue.getJob(poison.id!))!.updateData({
      v: 1,
      requests: [
        { requestId: 'r-poison', workspace: 'acme', summaries: [{ user_id: 'frank', event_name: 'e', count: 4, first: 10, last: 10 }] },
      ],
    });
    await tally('dlq', 'retry', '--id', poison.id!);
    await waitFor(async () => (await api.summary('frank')).events[0]?.count === 4, {
      timeoutMs: 20_000,
      message: 'the re-driven job was never applied',
    });

    // Re-driving again is refused (it is no longer failed) and changes nothing.
    const again = await tally('dlq', 'retry', '--id', poison.id!).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    expect(again).toBe(1);
    expect(JSON.parse((await tally('dlq', 'list', '--json')).stdout).total).toBe(0);
    expect((await api.summary('frank')).events[0]?.count).toBe(4);
  });
});
