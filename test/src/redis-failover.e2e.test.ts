import { randomUUID } from 'node:crypto';
import { consumerPolicy, createRedisClient, Queue, shardQueueNames } from '@tally/queue';
import { startRedisCluster, waitFor } from '@tally/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { client } from './support/client.js';
import { startStack } from './support/stack.js';

const SHARDS = 3;
const CLIENTS = 6;
const LOAD_MS = 6000;
const KILL_AT_MS = 2000;

interface FailoverFigures {
  acknowledged: number;
  stored: number;
  /** Answers other than 200 by status (0: no answer), and from first to last of each, in ms. */
  refusals: Record<number, { count: number; forMs: number }>;
}

/**
 * Steady load with Idempotency-Key retries through two ingress replicas on a 3+3 cluster with
 * QUEUE_SHARDS=3; SIGKILL the primary whose shard took the most jobs; count what was stored.
 * Every summary is count 1 for one of three users, so the stored total is the sum of counts.
 */
async function failover(waitReplicas: number): Promise<FailoverFigures> {
  const cluster = await startRedisCluster();
  const stack = await startStack({
    ingresses: 2,
    workers: 1,
    redisCluster: cluster,
    env: { QUEUE_SHARDS: String(SHARDS), REDIS_WAIT_REPLICAS: String(waitReplicas) },
  });
  const redis = createRedisClient({ kind: 'cluster', seeds: [{ host: '127.0.0.1', port: cluster.nodes[0]!.port }] }, consumerPolicy());
  const queues = shardQueueNames('summaries', { shards: SHARDS, cluster: true }).map(
    (name) => new Queue(name, { connection: redis, prefix: stack.env.QUEUE_PREFIX! }),
  );
  try {
    const replicas = stack.ingresses.map((i) => client(i.url));
    const users = ['ann', 'ben', 'cai'];
    const refusedAt = new Map<number, number[]>();
    let acknowledged = 0;
    const started = Date.now();
    // One client posts one summary at a time and retries it, with the same key, until it is 200.
    const load = async (n: number) => {
      for (let i = 0; Date.now() - started < LOAD_MS; i++) {
        const key = randomUUID();
        const body = { user_id: users[i % users.length], event_summaries: { event_name: 'clicked', count: 1 } };
        for (;;) {
          const status = await replicas[(n + i) % 2]!.postSummaries(body, { 'idempotency-key': key }).then(
            (r) => r.status,
            () => 0,
          );
          if (status === 200) break;
          refusedAt.set(status, [...(refusedAt.get(status) ?? []), Date.now()]);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        acknowledged += 1;
      }
    };
    const kill = async () => {
      await new Promise((resolve) => setTimeout(resolve, KILL_AT_MS));
      const taken = await Promise.all(queues.map(async (q) => (await q.getCompletedCount()) + (await q.count())));
      const busiest = queues[taken.indexOf(Math.max(...taken))]!;
      const probe = new Redis({ port: cluster.nodes[0]!.port });
      const slot = (await probe.call('CLUSTER', 'KEYSLOT', busiest.toKey('wait'))) as number;
      const ranges = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      probe.disconnect();
      const port = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
      await cluster.nodes.find((n) => n.port === port)!.kill('SIGKILL');
    };
    await Promise.all([...Array.from({ length: CLIENTS }, (_, n) => load(n)), kill()]);
    await cluster.waitUntilHealthy();

    const total = async () => {
      let sum = 0;
      for (const user of users) sum += (await replicas[0]!.summary(user)).events.find((e) => e.name === 'clicked')?.count ?? 0;
      return sum;
    };
    // Every acknowledged summary applied, or the queues empty and nothing more coming.
    await waitFor(async () => (await Promise.all(queues.map((q) => q.count()))).every((c) => c === 0), { timeoutMs: 60_000 });
    await waitFor(async () => (await total()) >= acknowledged, { timeoutMs: 10_000 }).catch(() => undefined);
    return {
      acknowledged,
      stored: await total(),
      refusals: Object.fromEntries(
        [...refusedAt].map(([status, at]) => [status, { count: at.length, forMs: Math.max(...at) - Math.min(...at) }]),
      ),
    };
  } finally {
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    redis.disconnect();
    await stack.stop();
  }
}

describe('losing a Redis primary under load (3+3 cluster, QUEUE_SHARDS=3, Idempotency-Key retries)', () => {
  it('with REDIS_WAIT_REPLICAS=1 stores every acknowledged summary exactly once', async () => {
    const figures = await failover(1);
    process.stdout.write(`failover with WAIT=1: ${JSON.stringify(figures)}\n`);
    expect(figures.acknowledged).toBeGreaterThan(0);
    expect(figures.stored).toBe(figures.acknowledged);
  }, 180_000);

  it('with REDIS_WAIT_REPLICAS=0 never double-counts (and reports what it lost)', async () => {
    const figures = await failover(0);
    process.stdout.write(`failover with WAIT=0: ${JSON.stringify({ ...figures, lost: figures.acknowledged - figures.stored })}\n`);
    expect(figures.stored).toBeLessThanOrEqual(figures.acknowledged);
  }, 180_000);
});
