import { createLogger, type Logger } from '@tally/logger';
import { consumerConnection, JOB_CATALOG, JOBS, type Job, Queue, queueName, type Worker } from '@tally/queue';
import {
  connectMongo,
  EventSummariesRepository,
  ensureIndexes,
  IngestLedgerRepository,
  type MongoConnection,
  RawEventsRepository,
} from '@tally/store';
import { uniqueName } from '@tally/testing';
import { createSummariesWorker } from '../worker.js';

/** A summaries queue with one real worker on it, over a private database: one per test. */
export interface WorkerHarness {
  queue: Queue;
  worker: Worker;
  mongo: MongoConnection;
  add(data: unknown, name?: string, jobId?: string): Promise<Job>;
  /** Transactions the driver has re-run so far (a WriteConflict, for instance). */
  transactionRetries(): number;
  /** Counts stored for (workspace, user), by event name. */
  counts(workspace: string, user: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** `concurrency` above 1 lets jobs share transactions (group commit); 1 applies each alone. */
export async function startWorkerHarness(
  redisUrl: string,
  mongoUri: string,
  logger?: Logger,
  options: { concurrency?: number } = {},
): Promise<WorkerHarness> {
  const prefix = uniqueName('q');
  const mongo = await connectMongo(mongoUri, uniqueName('worker_it'));
  await ensureIndexes(mongo.db);
  const queue = new Queue(queueName('summaries'), { connection: consumerConnection(redisUrl), prefix });
  const summaries = new EventSummariesRepository(mongo.db);
  let transactionRetries = 0;
  const worker = createSummariesWorker({
    connection: consumerConnection(redisUrl),
    prefix,
    concurrency: options.concurrency ?? 1,
    lockDuration: 5000,
    stalledInterval: 2000,
    maxStalledCount: 10,
    logger: logger ?? createLogger({ name: 'worker', level: process.env.LOG_LEVEL ?? 'silent' }),
    deps: {
      client: mongo.client,
      summaries,
      ledger: new IngestLedgerRepository(mongo.db),
      rawEvents: new RawEventsRepository(mongo.db),
      transactions: true,
      onTransactionRetry: () => {
        transactionRetries += 1;
      },
    },
  });
  void worker.run();
  return {
    queue,
    worker,
    mongo,
    add: (data, name = JOBS.applySummaries, jobId) =>
      queue.add(name, data, { ...JOB_CATALOG[JOBS.applySummaries].options, ...(jobId !== undefined ? { jobId } : {}) }),
    transactionRetries: () => transactionRetries,
    counts: async (workspace, user) =>
      Object.fromEntries((await summaries.findByUser(workspace, user)).map((s) => [s.event_name, s.count])),
    close: async () => {
      await worker.close();
      await queue.close();
      await mongo.db.dropDatabase();
      await mongo.close();
    },
  };
}
