import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { isPortFree } from './free-port.js';
import { stopAll } from './process-registry.js';
import { findRedisServer, RedisServerMissingError } from './redis-binary.js';
import { startRedis } from './redis-server.js';

afterAll(stopAll);

async function withClient<T>(url: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  try {
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

describe('startRedis', { timeout: 30_000 }, () => {
  it('starts a private server in a fresh temp dir and removes it on stop', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    if (a === undefined || b === undefined) throw new Error('unreachable');
    expect(a.port).not.toBe(b.port);
    expect(a.dir).not.toBe(b.dir);
    expect(a.url).toBe(`redis://127.0.0.1:${a.port}`);
    expect(await withClient(a.url, (redis) => redis.ping())).toBe('PONG');
    expect(await withClient(a.url, (redis) => redis.config('GET', 'appendonly'))).toEqual(['appendonly', 'yes']);
    await Promise.all([a.stop(), b.stop()]);
    expect(existsSync(a.dir)).toBe(false);
    expect(await isPortFree(a.port)).toBe(true);
    await a.stop(); // idempotent
  });

  it('keeps acknowledged writes across SIGKILL and restart with appendfsync always', async () => {
    const redis = await startRedis({ appendOnly: true, appendFsync: 'always' });
    const { port, dir } = redis;
    const oldPid = redis.pid;
    await withClient(redis.url, (client) => client.set('survives', 'yes'));
    await redis.kill('SIGKILL');
    await redis.restart();
    expect(redis.pid).not.toBe(oldPid);
    expect([redis.port, redis.dir]).toEqual([port, dir]);
    expect(await withClient(redis.url, (client) => client.get('survives'))).toBe('yes');
    await redis.stop();
  });

  it('restart() of a running server stops it gracefully first; without AOF the data is gone', async () => {
    const redis = await startRedis({ appendOnly: false });
    await withClient(redis.url, (client) => client.set('volatile', '1'));
    await redis.restart();
    expect(await withClient(redis.url, (client) => client.get('volatile'))).toBeNull();
    await redis.stop();
  });

  it('refuses a fixed port that is already taken', async () => {
    const redis = await startRedis({ appendOnly: false });
    await expect(startRedis({ port: redis.port })).rejects.toThrow(/already in use/);
    await redis.stop();
  });

  it('reports unexpected exits', async () => {
    let reported: string | undefined;
    const redis = await startRedis({ appendOnly: false, onUnexpectedExit: (exit) => (reported = exit.signal ?? '') });
    process.kill(redis.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reported).toBe('SIGKILL');
    await redis.stop();
  });

  it('explains how to install redis-server when it is missing', () => {
    expect(() => findRedisServer({ PATH: '/nonexistent' })).toThrow(RedisServerMissingError);
    expect(() => findRedisServer({ PATH: '/nonexistent' })).toThrow(/apt-get install -y redis-server/);
    expect(() => findRedisServer({ REDIS_SERVER_BIN: '/nonexistent/redis-server' })).toThrow(/REDIS_SERVER_BIN/);
  });
});
