import { consumerPolicy, createRedisClient, JOB_CATALOG, Queue, type RedisClient, shardQueueNames } from '@tally/queue';
import { type RedisCluster, startRedisCluster, uniqueName, waitFor } from '@tally/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from './support/client.js';
import { type Stack, startStack } from './support/stack.js';
import { runTally } from './support/tally-cli.js';

const SHARDS = 3;
const POSTS = 90;

/** The port of the primary serving `key`, asked of the cluster itself. */
async function primaryOf(cluster: RedisCluster, key: string): Promise<number> {
  const probe = new Redis({ port: cluster.nodes[0]!.port, lazyConnect: true });
  await probe.connect();
  try {
    const slot = (await probe.call('CLUSTER', 'KEYSLOT', key)) as number;
    const ranges = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    return ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
  } finally {
    probe.disconnect();
  }
}

describe('Tally on a real Redis Cluster (3 primaries + 3 replicas) with QUEUE_SHARDS=3', () => {
  let cluster: RedisCluster;
  let stack: Stack;
  let redis: RedisClient;
  let queues: Queue[];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    stack = await startStack({ ingresses: 2, workers: 2, redisCluster: cluster, env: { QUEUE_SHARDS: String(SHARDS) } });
    redis = createRedisClient({ kind: 'cluster', seeds: [{ host: '127.0.0.1', port: cluster.nodes[0]!.port }] }, consumerPolicy());
    queues = shardQueueNames('summaries', { shards: SHARDS, cluster: true }).map(
      (name) => new Queue(name, { connection: redis, prefix: stack.env.QUEUE_PREFIX! }),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    redis.disconnect();
    await stack.stop();
  });

  it('applies every summary posted through two ingress replicas exactly once, from jobs on several primaries', async () => {
    const replicas = stack.ingresses.map((i) => client(i.url));
    const users = ['ann', 'ben', 'cai'];
    const replies = await Promise.all(
      Array.from({ length: POSTS }, (_, i) =>
        replicas[i % 2]!.postSummaries({
          user_id: users[i % users.length],
          event_summaries: { event_name: 'clicked', count: 1, first: 1671000000 + i, last: 1671000000 + i },
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(POSTS).fill(200));

    const total = async () => {
      let sum = 0;
      for (const user of users) sum += (await replicas[0]!.summary(user)).events.find((e) => e.name === 'clicked')?.count ?? 0;
      return sum;
    };
    await waitFor(async () => (await total()) >= POSTS, { timeoutMs: 30_000, message: 'not every summary was applied' });
    await waitFor(async () => (await Promise.all(queues.map((q) => q.count()))).every((n) => n === 0), { timeoutMs: 30_000 });
    expect(await total()).toBe(POSTS);

    const completed = await Promise.all(queues.map((q) => q.getCompletedCount()));
    const used = queues.filter((_, i) => completed[i]! > 0);
    const owners = await Promise.all(used.map((q) => primaryOf(cluster, q.toKey('completed'))));
    expect(new Set(owners).size).toBeGreaterThanOrEqual(2);
  });

  it('lists the failed jobs of every shard with `tally dlq list`', async () => {
    const { options } = JOB_CATALOG['apply-summaries'];
    const poisoned = [uniqueName('poison-1'), uniqueName('poison-2')];
    // An unknown job name is failed at once (no retry can teach a worker it), into its shard's failed set.
    await queues[1]!.add('no-such-job', {}, { ...options, jobId: poisoned[0]! });
    await queues[2]!.add('no-such-job', {}, { ...options, jobId: poisoned[1]! });
    await waitFor(async () => (await queues[1]!.getFailedCount()) + (await queues[2]!.getFailedCount()) === 2, { timeoutMs: 20_000 });

    const list = await runTally(['dlq', 'list', '--json'], {
      REDIS_CLUSTER_NODES: cluster.nodesEnv,
      QUEUE_PREFIX: stack.env.QUEUE_PREFIX!,
      QUEUE_SHARDS: String(SHARDS),
    });
    expect(list.code).toBe(0);
    const reports = list.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { queue: string; jobs: { id: string }[] });
    expect(reports.map((r) => r.queue)).toEqual(queues.map((q) => q.name));
    expect(reports.flatMap((r) => r.jobs.map((j) => j.id)).sort()).toEqual([...poisoned].sort());
  });
});
