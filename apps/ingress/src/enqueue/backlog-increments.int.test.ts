import { createLogger } from '@tally/logger';
import { consumerConnection, Queue, queueName, SUMMARY_BACKLOG_SUFFIX } from '@tally/queue';
import { type RedisServer, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCREMENT_DELAY_MS } from './backlog-increments.js';
import { BacklogMonitor } from './backlog-monitor.js';

let redis: RedisServer;
let client: Redis;
let queue: Queue;

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
  client = new Redis(redis.url);
  queue = new Queue(queueName('summaries'), { connection: consumerConnection(redis.url), prefix: uniqueName('q') });
});
afterAll(async () => {
  await queue.close();
  client.disconnect();
  await stopAll();
});

const evalCalls = async () => Number(/cmdstat_eval:calls=(\d+)/.exec(await client.info('commandstats'))?.[1] ?? 0);

describe("the ingress's summary backlog increments", () => {
  it('are summed over the jobs added meanwhile and sent as one script call, not one per job, and add up to every job', async () => {
    const limits = { maxJobs: 1e6, maxSummaries: 1e6, workspaceShare: 1, memoryMaxRatio: 1, maxFailedPolls: 3, pollMs: 60_000 };
    const monitor = new BacklogMonitor([queue], client, limits, createLogger({ name: 'ingress', level: 'silent' }));
    const before = await evalCalls();
    const started = performance.now();
    // Forty jobs confirmed one after another, a Redis round trip apart, as the group commit adds them.
    for (let i = 0; i < 20; i += 1) {
      monitor.added(queue, { requests: [{ workspace: 'acme', summaries: [{}] }] });
      await client.ping();
      monitor.added(queue, { requests: [{ workspace: 'beta', summaries: [{}, {}] }] });
      await client.ping();
    }
    const elapsed = performance.now() - started;
    const key = queue.toKey(SUMMARY_BACKLOG_SUFFIX);
    await waitFor(async () => (await client.hget(key, 'beta')) === '40', { message: 'the increments never all arrived' });
    expect(await client.hgetall(key)).toEqual({ acme: '20', beta: '40' });
    // One call per INCREMENT_DELAY_MS at most, however many jobs (the old code: one per job, 40).
    expect((await evalCalls()) - before).toBeLessThanOrEqual(1 + Math.ceil(elapsed / INCREMENT_DELAY_MS));
  });
});
