import { consumerConnection, JOB_CATALOG, JOBS, Queue, queueName } from '@tally/queue';
import { connectMongo, EventSummariesRepository, type MongoConnection } from '@tally/store';
import {
  type AppProcess,
  type MongoServer,
  type RedisServer,
  startApp,
  startMongo,
  startRedis,
  stopAll,
  uniqueName,
  waitFor,
  waitForLog,
} from '@tally/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const SHUTDOWN_TIMEOUT_MS = 2000;
let redis: RedisServer;
let mongoServer: MongoServer;
let mongo: MongoConnection;
let prefix: string;
let database: string;

async function startWorker(env: Record<string, string> = {}): Promise<AppProcess> {
  const worker = await startApp('worker', {
    env: {
      REDIS_URL: redis.url,
      MONGO_URL: mongoServer.uri,
      MONGO_DB: database,
      QUEUE_PREFIX: prefix,
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      ...env,
    },
  });
  await waitForLog(worker, 'worker ready');
  return worker;
}

/** Sends SIGTERM and resolves with the exit code and how long the exit took. */
async function terminate(worker: AppProcess): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  const code = await worker.kill('SIGTERM');
  return { code, ms: performance.now() - started };
}

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
  mongoServer = await startMongo();
});
beforeEach(async () => {
  prefix = uniqueName('q');
  database = uniqueName('shutdown_it');
  mongo = await connectMongo(mongoServer.uri, database);
});
afterEach(async () => {
  process.kill(redis.pid, 'SIGCONT');
  await mongo.db.dropDatabase();
  await mongo.close();
});
afterAll(async () => {
  await stopAll();
});

describe('worker shutdown', { timeout: 60_000 }, () => {
  it('finishes its running jobs, leaves the rest waiting, and exits 0', async () => {
    const queue = new Queue(queueName('summaries'), { connection: consumerConnection(redis.url), prefix });
    const worker = await startWorker({ WORKER_CONCURRENCY: '2' });
    const data = {
      v: 1,
      requests: [{ requestId: 'r', workspace: 'acme', summaries: [{ user_id: 'u', event_name: 'e', count: 1, first: 1, last: 1 }] }],
    };
    await queue.addBulk(
      Array.from({ length: 200 }, () => ({ name: JOBS.applySummaries, data, opts: JOB_CATALOG[JOBS.applySummaries].options })),
    );
    await waitFor(async () => (await queue.getCompletedCount()) > 0, { message: 'the worker completed nothing' });
    expect((await terminate(worker)).code).toBe(0);
    const counts = await queue.getJobCounts('active', 'completed', 'failed', 'waiting', 'delayed');
    expect(counts).toMatchObject({ active: 0, failed: 0, delayed: 0 });
    expect(counts.completed! + counts.waiting!).toBe(200);
    // Everything it completed, and nothing else, is in MongoDB.
    const [stored] = await new EventSummariesRepository(mongo.db).findByUser('acme', 'u');
    expect(stored?.count).toBe(counts.completed);
    await queue.close();
  });

  it('exits non-zero within SHUTDOWN_TIMEOUT_MS + 1 s when Redis is frozen', async () => {
    const worker = await startWorker();
    process.kill(redis.pid, 'SIGSTOP');
    const { code, ms } = await terminate(worker);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1000);
    expect(worker.lines.join('\n')).toMatch(/shutdown deadline reached/);
  });

  it('exits at once on a second signal', async () => {
    const worker = await startWorker({ SHUTDOWN_TIMEOUT_MS: '60000' });
    process.kill(redis.pid, 'SIGSTOP');
    worker.process.signal('SIGTERM');
    await worker.waitForLine(/worker stopping/);
    const { code } = await terminate(worker);
    expect(code).toBe(1);
    expect(worker.lines.join('\n')).toMatch(/second signal, exiting now/);
  });
});
