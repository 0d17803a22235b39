import type { RedisTarget } from '@tally/config';
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Either client; BullMQ takes both as a `connection`. */
export type RedisClient = Redis | Cluster;

/** `redis://host:port/db` → ioredis options (credentials decoded; `rediss:` turns TLS on). */
export function redisUrlOptions(url: string): BullRedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Opens a client for `target` with one connection policy (see connections.ts), whatever the
 * topology: on a cluster the per-node options go to every node connection, and the reconnect
 * and offline-queue policy to the cluster client, which also follows MOVED/ASK redirections and
 * refreshes its slot map after a failover.
 */
export function createRedisClient(target: RedisTarget, bullPolicy: BullRedisOptions): RedisClient {
  // BullMQ re-declares ioredis's options with a narrower retryStrategy type; the values are the same.
  const policy = bullPolicy as RedisOptions;
  if (target.kind === 'single') return new Redis({ ...(redisUrlOptions(target.url) as RedisOptions), ...policy });
  const { retryStrategy, enableOfflineQueue, lazyConnect, ...perNode } = policy;
  return new Cluster(
    target.seeds.map((s) => ({ host: s.host, port: s.port })),
    {
      redisOptions: perNode,
      ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
      ...(lazyConnect !== undefined ? { lazyConnect } : {}),
      ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
      // A failover takes about cluster-node-timeout; short retry delays let commands that hit
      // the dead primary find its promoted replica instead of failing.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 100,
    },
  );
}

/** A short, password-free description of the target for logs and error messages. */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.kind === 'cluster') return `Redis Cluster (${target.seeds.map((s) => `${s.host}:${s.port}`).join(', ')})`;
  try {
    const u = new URL(target.url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 ? u.pathname : ''}`;
  } catch {
    return '(invalid REDIS_URL)';
  }
}
