import { type RedisServer, startRedis, stopAll } from '@tally/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { producerConnection } from './connections.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
});
afterAll(() => stopAll());

/** A producer connection (no offline queue), once it is ready for commands. */
async function producer(): Promise<Redis> {
  const client = new Redis(producerConnection(redis.url, { commandTimeoutMs: 100 }));
  await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

/** Blocks the event loop, as a long garbage collection or a starved CPU does. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

describe("ioredis's command timeout (producer connections)", () => {
  it('does not reject a command whose reply arrived while the event loop was stalled past the timeout', async () => {
    const client = await producer();
    try {
      for (let i = 0; i < 3; i += 1) {
        const reply = client.set(`stalled-${i}`, 'v').then(
          (ok) => ok,
          (error: Error) => error.message,
        );
        stall(600); // Redis answers within a millisecond; the loop reads it only after the stall
        expect(await reply).toBe('OK');
      }
    } finally {
      client.disconnect();
    }
  }, 15_000);

  it('still rejects a command Redis does not answer in time', async () => {
    const client = await producer();
    const admin = new Redis(redis.url);
    try {
      await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
      const started = performance.now();
      await expect(client.ping()).rejects.toThrow('Command timed out');
      expect(performance.now() - started).toBeLessThan(2000); // the 100 ms timeout, not the 3 s pause
    } finally {
      client.disconnect();
      admin.disconnect();
    }
  });
});
