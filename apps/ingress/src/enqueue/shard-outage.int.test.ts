import { shardQueueNames } from '@tally/queue';
import { type RedisCluster, startRedisCluster, stopAll } from '@tally/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ingress } from '../ingress.js';
import { headersFor, testIngress } from '../testing/test-ingress.js';

describe('one shard down on a real Redis Cluster (QUEUE_SHARDS=3)', () => {
  let cluster: RedisCluster;
  let ingress: Ingress;
  let frozen: number | undefined;

  beforeAll(async () => {
    cluster = await startRedisCluster({ nodeTimeoutMs: 15_000 });
    ingress = await testIngress(cluster, { QUEUE_SHARDS: '3', ENQUEUE_TIMEOUT_MS: '800' });
  }, 60_000);

  afterAll(async () => {
    if (frozen !== undefined) process.kill(frozen, 'SIGCONT');
    await ingress.close();
    await stopAll();
  });

  it('keeps answering 200 through the other shards while one shard’s primary hangs', async () => {
    const probe = new Redis({ port: cluster.nodes[0]!.port });
    const [name] = shardQueueNames('summaries', { shards: 3, cluster: true });
    const slot = (await probe.call('CLUSTER', 'KEYSLOT', `x:${name}:wait`)) as number;
    const ranges = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    probe.disconnect();
    const port = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
    frozen = cluster.nodes.find((n) => n.port === port)!.pid;
    process.kill(frozen, 'SIGSTOP');

    // Well past BACKLOG_MAX_FAILED_POLLS (3) polls of BACKLOG_POLL_MS (50) of the frozen shard.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const replies = [];
    for (let i = 0; i < 6; i++) {
      replies.push(
        await ingress.app.inject({
          method: 'POST',
          url: '/events/summaries',
          headers: headersFor('acme'),
          payload: { user_id: `u${i}`, event_summaries: { event_name: 'clicked', count: 1 } },
        }),
      );
    }
    expect(replies.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
  });
});
