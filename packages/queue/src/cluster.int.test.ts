import type { RedisTarget } from '@tally/config';
import { type RedisCluster, startRedisCluster, stopAll, uniqueName, waitFor } from '@tally/testing';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerPolicy, producerPolicy } from './connections.js';
import { createRedisClient, type RedisClient } from './redis-target.js';
import { shardQueueNames } from './shards.js';

let cluster: RedisCluster;
let target: RedisTarget;
const clients: RedisClient[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  target = { kind: 'cluster', seeds: [{ host: '127.0.0.1', port: cluster.nodes[0]!.port }] };
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await stopAll();
});

function client(policy: ReturnType<typeof producerPolicy>): RedisClient {
  const c = createRedisClient(target, policy);
  clients.push(c);
  return c;
}

/** The port of the primary that serves `key`, asked of the cluster itself. */
async function primaryOf(key: string): Promise<number> {
  const probe = new Redis({ port: cluster.nodes[0]!.port, lazyConnect: true });
  await probe.connect();
  try {
    const slot = (await probe.call('CLUSTER', 'KEYSLOT', key)) as number;
    const ranges = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    return range![2][1];
  } finally {
    probe.disconnect();
  }
}

describe('BullMQ on a real Redis Cluster (3 primaries + 3 replicas)', () => {
  it('puts three shards on three different primaries and consumes every job once', async () => {
    const prefix = uniqueName('tally');
    const names = shardQueueNames('summaries', { shards: 3, cluster: true });
    const producer = client(producerPolicy());
    const queues = names.map((name) => new Queue(name, { connection: producer, prefix }));
    for (const [shard, queue] of queues.entries()) {
      for (let i = 0; i < 10; i++) await queue.add('apply-summaries', { shard, i }, { jobId: `${shard}-${i}` });
    }
    const owners = await Promise.all(names.map((name) => primaryOf(`${prefix}:${name}:wait`)));
    expect(new Set(owners).size).toBe(3);

    const seen: string[] = [];
    const consumer = client(consumerPolicy());
    const workers = names.map(
      (name) =>
        new Worker(
          name,
          async (job: Job) => {
            seen.push(`${job.data.shard}-${job.data.i}`);
          },
          { connection: consumer, prefix, concurrency: 4 },
        ),
    );
    try {
      await waitFor(() => seen.length === 30, { timeoutMs: 20_000, message: 'all 30 jobs processed' });
      expect(new Set(seen).size).toBe(30);
      for (const queue of queues) expect(await queue.getJobCounts('completed')).toEqual({ completed: 10 });
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(queues.map((q) => q.close()));
    }
  }, 60_000);
});
