import type { RedisOptions } from 'bullmq';

export type RedisConnectionOptions = RedisOptions;

function fromUrl(url: string): RedisOptions {
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
 * The ingress's connection: it must fail fast. No offline queue and one try per command, so a
 * request never waits on a Redis that is gone, and a command timeout, so it never waits on a
 * Redis that hangs; it gets a 503 instead. Reconnects keep trying in the background so the
 * ingress recovers by itself.
 */
export function producerConnection(url: string, options: { commandTimeoutMs?: number } = {}): RedisOptions {
  return {
    ...fromUrl(url),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
  };
}

/**
 * The worker's connection: it must never give up. BullMQ requires `maxRetriesPerRequest: null`
 * for blocking commands, and reconnects are retried forever with a capped delay.
 */
export function consumerConnection(url: string): RedisOptions {
  return {
    ...fromUrl(url),
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
  };
}
