import { type MongoEmulator, startMongoEmulator } from '@tally/mongo-emulator';
import { consumerConnection, JOB_CATALOG, JOBS, Queue, queueName } from '@tally/queue';
import { connectMongo, EventSummariesRepository, type MongoConnection } from '@tally/store';
import { type RedisServer, startApp, startRedis, stopAll, uniqueName, waitFor, waitForLog } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Against a standalone mongod there are no transactions, so no exactly-once: the worker refuses
 * to start unless MONGO_ALLOW_STANDALONE=true, and then says so loudly and applies summaries
 * without the ledger. No standalone mongod can be installed here, so this test always uses the
 * emulator's standalone mode, also when MONGO_URL is set.
 */
describe('a worker against a standalone MongoDB (no transactions)', () => {
  let redis: RedisServer;
  let emulator: MongoEmulator;
  let db: MongoConnection;
  let queue: Queue;
  const prefix = uniqueName('q');
  const dbName = uniqueName('standalone');

  beforeAll(async () => {
    redis = await startRedis();
    emulator = await startMongoEmulator({ standalone: true });
    db = await connectMongo(emulator.uri, dbName);
    queue = new Queue(queueName('summaries'), { connection: consumerConnection(redis.url), prefix });
  });
  afterAll(async () => {
    await queue.close();
    await db.close();
    await stopAll();
    await emulator.close();
  });

  it('refuses to start (exit 78) and says how to fix it', async () => {
    const worker = await startApp('worker', {
      env: { REDIS_URL: redis.url, MONGO_URL: emulator.uri, MONGO_DB: dbName, QUEUE_PREFIX: prefix },
    });
    expect((await worker.exited).code).toBe(78);
    expect(worker.lines.join('\n')).toMatch(/standalone server without transactions.*MONGO_ALLOW_STANDALONE=true/);
  });

  it('with MONGO_ALLOW_STANDALONE=true, warns that a retried job can count twice and applies summaries without the ledger', async () => {
    const worker = await startApp('worker', {
      env: { REDIS_URL: redis.url, MONGO_URL: emulator.uri, MONGO_DB: dbName, QUEUE_PREFIX: prefix, MONGO_ALLOW_STANDALONE: 'true' },
    });
    const ready = await waitForLog(worker, 'worker ready');
    expect(ready).toMatchObject({ transactions: false, delivery: 'at-least-once' });
    expect(worker.lines.some((l) => l.includes('"level":40') && l.includes('standalone') && l.includes('count twice'))).toBe(true);
    await queue.add(
      JOBS.applySummaries,
      {
        v: 1,
        requests: [{ requestId: 'r', workspace: 'acme', summaries: [{ user_id: 'u', event_name: 'e', count: 3, first: 10, last: 20 }] }],
      },
      JOB_CATALOG[JOBS.applySummaries].options,
    );
    const repo = new EventSummariesRepository(db.db);
    await waitFor(async () => (await repo.findByUser('acme', 'u'))[0]?.count === 3, {
      timeoutMs: 20_000,
      message: 'the job was never applied',
    });
  });
});
