import { type ClusterNode, type RedisCluster, startRedisCluster, stopAll } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ingress } from '../ingress.js';
import { headersFor, testIngress } from '../testing/test-ingress.js';

const SHARDED = { QUEUE_SHARDS: '3', ENQUEUE_TIMEOUT_MS: '800', REDIS_WAIT_TIMEOUT_MS: '100' };

describe('REDIS_WAIT_REPLICAS on a real Redis Cluster (3 primaries + 3 replicas)', () => {
  let cluster: RedisCluster;
  let replicas: ClusterNode[];
  const ingresses: Ingress[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    const primaries = new Set((await cluster.primaries()).map((n) => n.port));
    replicas = cluster.nodes.filter((n) => !primaries.has(n.port));
  }, 60_000);

  afterAll(async () => {
    for (const node of replicas) process.kill(node.pid, 'SIGCONT');
    await Promise.all(ingresses.map((i) => i.close()));
    await stopAll();
  });

  const ingress = async (env: Record<string, string>) => {
    const i = await testIngress(cluster, { ...SHARDED, ...env });
    ingresses.push(i);
    return i;
  };
  const post = (i: Ingress, user: string) =>
    i.app.inject({
      method: 'POST',
      url: '/events/summaries',
      headers: headersFor('acme'),
      payload: { user_id: user, event_summaries: { event_name: 'clicked', count: 1 } },
    });

  it('answers 200 once a replica confirmed the job, and 503 when no replica can (replicas paused), where WAIT=0 still says 200', async () => {
    const waiting = await ingress({ REDIS_WAIT_REPLICAS: '1' });
    const trusting = await ingress({ REDIS_WAIT_REPLICAS: '0' });
    expect((await post(waiting, 'before-pause')).statusCode).toBe(200);

    for (const node of replicas) process.kill(node.pid, 'SIGSTOP');
    try {
      const refused = await post(waiting, 'while-paused');
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBeDefined();
      expect((await post(trusting, 'while-paused')).statusCode).toBe(200);
    } finally {
      for (const node of replicas) process.kill(node.pid, 'SIGCONT');
    }
  });
});
