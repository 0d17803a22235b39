import { producerPolicy, type RedisConnectionOptions, redisUrlOptions } from '@tally/queue';

/**
 * The admin's and the CLI's Redis connection. Like the ingress it fails fast (one retry per
 * command), so a page or a CLI call during a Redis outage errors within a second instead of
 * hanging; unlike the ingress it queues commands issued while the first connect is still in
 * progress, so a request that arrives right after start-up is not refused for nothing.
 */
export function operatorConnection(url: string): RedisConnectionOptions {
  return { ...redisUrlOptions(url), ...operatorPolicy() };
}

/** {@link operatorConnection}'s policy alone, for `createRedisClient` (one Redis or a cluster). */
export function operatorPolicy(): RedisConnectionOptions {
  return { ...producerPolicy(), enableOfflineQueue: true, connectTimeout: 2000 };
}

/** `host:port` of a Redis URL, for messages: the URL itself may carry a password. */
export function redisAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return '(invalid REDIS_URL)';
  }
}
