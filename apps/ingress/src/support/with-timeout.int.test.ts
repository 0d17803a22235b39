import { type RedisServer, startRedis, stopAll } from '@tally/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from './with-timeout.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
});
afterAll(() => stopAll());

describe('withTimeout', () => {
  it('lets an answer that arrived during an event loop stall win over its deadline', async () => {
    const client = new Redis(redis.url); // no command timeout of its own: only withTimeout's
    try {
      await client.ping();
      const answer = withTimeout(client.ping(), 50, 'Redis did not confirm').catch((error: Error) => error.message);
      const until = Date.now() + 600;
      while (Date.now() < until) {
        // the loop stalls; Redis's answer arrives meanwhile
      }
      expect(await answer).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('rejects with its message when nothing answers in time', async () => {
    await expect(withTimeout(new Promise(() => {}), 20, 'Redis did not confirm')).rejects.toThrow('Redis did not confirm');
  });
});
