import { type RedisServer, startRedis, stopAll } from '@tally/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Ingress } from '../ingress.js';
import { testIngress } from './test-ingress.js';

/**
 * For a test file: a private redis-server for the whole file, and `ingress(env)` that opens a
 * {@link testIngress} on it, closed after each test.
 */
export function useIngresses() {
  let redis: RedisServer | undefined;
  const open: Ingress[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((i) => i.close()));
  });
  afterAll(async () => {
    await stopAll();
  });
  const redisUrl = (): string => {
    if (redis === undefined) throw new Error('useIngresses: Redis is started in beforeAll');
    return redis.url;
  };
  return {
    redisUrl,
    ingress: async (env: Record<string, string> = {}, clock: { now?: () => number } = {}): Promise<Ingress> => {
      const created = await testIngress(redisUrl(), env, clock);
      open.push(created);
      return created;
    },
  };
}
