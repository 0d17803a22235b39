import { createLogger } from '@tally/logger';
import { consumerConnection, Queue, queueName, SUMMARY_BACKLOG_SUFFIX } from '@tally/queue';
import { type RedisServer, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersFor, testIngress } from '../testing/test-ingress.js';
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

  it('are sent at once when flushed, a send under way included, instead of when their delay ends', async () => {
    const limits = { maxJobs: 1e6, maxSummaries: 1e6, workspaceShare: 1, memoryMaxRatio: 1, maxFailedPolls: 3, pollMs: 60_000 };
    const other = new Queue(queueName('summaries'), { connection: consumerConnection(redis.url), prefix: uniqueName('q') });
    try {
      const monitor = new BacklogMonitor([other], client, limits, createLogger({ name: 'ingress', level: 'silent' }));
      const key = other.toKey(SUMMARY_BACKLOG_SUFFIX);
      monitor.added(other, { requests: [{ workspace: 'acme', summaries: [{}, {}] }] });
      await monitor.flushIncrements();
      expect(await client.hget(key, 'acme')).toBe('2');
      // One send on its way (its delay ended) and more summed behind it: the flush waits for the
      // first and sends the rest.
      monitor.added(other, { requests: [{ workspace: 'acme', summaries: [{}] }] });
      await new Promise((resolve) => setTimeout(resolve, INCREMENT_DELAY_MS + 5));
      monitor.added(other, { requests: [{ workspace: 'beta', summaries: [{}, {}, {}] }] });
      await monitor.flushIncrements();
      expect(await client.hgetall(key)).toEqual({ acme: '3', beta: '3' });
    } finally {
      await other.close();
    }
  });

  it('are not lost at shutdown: an ingress closed right after its last add has counted it', async () => {
    const ingress = await testIngress(redis.url);
    const answer = await ingress.app.inject({
      method: 'POST',
      url: '/events/summaries',
      headers: headersFor('acme'),
      payload: { user_id: 'u', event_summaries: [1, 2, 3, 4].map((k) => ({ event_name: `e${k}`, count: 1, first: 1, last: 1 })) },
    });
    expect(answer.statusCode).toBe(200);
    await ingress.close();
    expect(await client.hget(ingress.queues[0]!.toKey(SUMMARY_BACKLOG_SUFFIX), 'acme')).toBe('4');
  });
});
