import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAll } from './process-registry.js';
import { type RedisServer, startRedis } from './redis-server.js';
import { uniqueName } from './unique-name.js';
import { waitForQuiescence } from './wait-for-quiescence.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
});
afterAll(async () => {
  await stopAll();
});

describe('waitForQuiescence', () => {
  it('waits past a job that is retried after a delay, until nothing more can land', async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const prefix = uniqueName('q');
    const queue = new Queue('quiet', { connection, prefix });
    let runs = 0;
    const worker = new Worker(
      'quiet',
      async () => {
        runs += 1;
        if (runs === 1) throw new Error('first attempt fails');
      },
      { connection, prefix },
    );
    await queue.add('j', {}, { attempts: 2, backoff: { type: 'fixed', delay: 300 } });
    const counts = await waitForQuiescence(queue, { stableMs: 200, timeoutMs: 10_000 });
    expect(counts).toMatchObject({ completed: 1, delayed: 0, active: 0, waiting: 0 });
    expect(runs).toBe(2);
    await worker.close();
    await queue.close();
  });
});
