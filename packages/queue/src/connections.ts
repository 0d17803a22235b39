import type { RedisOptions } from 'bullmq';
import { redisUrlOptions } from './redis-target.js';
import { installStallAwareCommandTimeout } from './stall-aware-timeout.js';

// Every connection made with these policies times commands out only once their replies have
// been read (see stall-aware-timeout.ts).
installStallAwareCommandTimeout();

export type RedisConnectionOptions = RedisOptions;

/**
 * The ingress's policy: it must fail fast. No offline queue and one try per command, so a
 * request never waits on a Redis that is gone, and a command timeout, so it never waits on a
 * Redis that hangs; it gets a 503 instead. Reconnects keep trying in the background so the
 * ingress recovers by itself.
 */
export function producerPolicy(options: { commandTimeoutMs?: number } = {}): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
  };
}

/**
 * The worker's policy: it must never give up. BullMQ requires `maxRetriesPerRequest: null` for
 * blocking commands, and reconnects are retried forever with a capped delay.
 */
export function consumerPolicy(): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
  };
}

/** {@link producerPolicy} for one Redis at `url`. */
export function producerConnection(url: string, options: { commandTimeoutMs?: number } = {}): RedisOptions {
  return { ...redisUrlOptions(url), ...producerPolicy(options) };
}

/** {@link consumerPolicy} for one Redis at `url`. */
export function consumerConnection(url: string): RedisOptions {
  return { ...redisUrlOptions(url), ...consumerPolicy() };
}
