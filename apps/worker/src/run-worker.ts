import { EXIT_CONFIG, loadConfigOrExit, redisTargetOf } from '@tally/config';
import { handleShutdownSignals } from '@tally/lifecycle';
import { createLogger, flushLogs, type Logger } from '@tally/logger';
import { createMetricsRegistry, startMetricsServer } from '@tally/metrics';
import { consumerConnection, consumerPolicy, createRedisClient, type Job, shardQueueNames } from '@tally/queue';
import {
  connectMongo,
  EventSummariesRepository,
  ensureIndexes,
  IngestLedgerRepository,
  RawEventsRepository,
  supportsTransactions,
} from '@tally/store';
import { workerConfigSchema } from './config.js';
import { WorkerMetrics } from './metrics/worker-metrics.js';
import { createShardWorkers } from './shard-workers.js';

/**
 * A worker started during a MongoDB outage waits for it (as an orchestrator's restart loop
 * would, but without the crash noise) instead of exiting.
 */
async function connectWithRetry<T>(connect: () => Promise<T>, logger: Logger): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await connect();
    } catch (err) {
      const delay = Math.min(500 * attempt, 5000);
      logger.warn({ reason: (err as Error).message, attempt, retryInMs: delay }, 'waiting for MongoDB');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Seams for test-only entry points; production passes none. */
export interface WorkerHooks {
  /** Called after a job's transactions committed and before BullMQ hears of it. */
  afterCommit?: (job: Job, transactionJobs: number) => void;
}

/** config → logger → connections → worker → signals. The process's whole life, for main.ts. */
export async function runWorker(hooks: WorkerHooks = {}): Promise<void> {
  const config = loadConfigOrExit(workerConfigSchema, process.env, 'worker');
  const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const registry = createMetricsRegistry();
  // Up before MongoDB is: a worker waiting for MongoDB is exactly what an operator wants to see.
  const metricsServer =
    config.METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer(registry, { port: config.METRICS_PORT, host: config.METRICS_HOST });
  const mongo = await connectWithRetry(() => connectMongo(config.MONGO_URL, config.MONGO_DB), logger);
  await ensureIndexes(mongo.db, { ledgerTtlSeconds: config.DEDUP_WINDOW_SECONDS, eventsRetentionSeconds: config.EVENTS_RETENTION_SECONDS });
  const transactions = await supportsTransactions(mongo.db);
  // Exactly-once needs the ledger, and the ledger needs transactions: a standalone server is
  // refused unless the operator accepts at-least-once in so many words.
  const delivery = transactions ? 'exactly-once' : 'at-least-once';
  if (!transactions && !config.MONGO_ALLOW_STANDALONE) {
    process.stderr.write(
      'worker: MongoDB at MONGO_URL is a standalone server without transactions, so the ingest ledger cannot work and a retried job could count twice. Run a replica set (a one-node replica set is enough), or set MONGO_ALLOW_STANDALONE=true to accept at-least-once delivery.\n',
    );
    await mongo.close();
    process.exit(EXIT_CONFIG);
  }
  if (!transactions) {
    logger.warn(
      { delivery },
      'MongoDB is a standalone server without transactions (MONGO_ALLOW_STANDALONE=true): applying without the ingest ledger, so a retried job CAN count twice',
    );
  }
  const target = redisTargetOf(config);
  // A single Redis keeps per-worker connections (as before sharding); on a cluster the shards'
  // workers share one Cluster client, which BullMQ duplicates for its blocking reads.
  const queues = shardQueueNames('summaries', { shards: config.QUEUE_SHARDS, cluster: target.kind === 'cluster' });
  const workers = createShardWorkers(queues, {
    connection: target.kind === 'cluster' ? createRedisClient(target, consumerPolicy()) : consumerConnection(target.url),
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
    logger,
    ...(metricsServer ? { metrics: new WorkerMetrics(registry) } : {}),
    deps: {
      client: mongo.client,
      summaries: new EventSummariesRepository(mongo.db),
      ledger: new IngestLedgerRepository(mongo.db),
      rawEvents: new RawEventsRepository(mongo.db),
      transactions,
      transactionMaxSummaries: config.WORKER_TRANSACTION_MAX_SUMMARIES,
      ...(hooks.afterCommit ? { afterCommit: hooks.afterCommit } : {}),
    },
  });

  handleShutdownSignals({
    name: 'worker',
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // close() stops fetching and waits for the running jobs. Past the deadline the process
    // exits: those jobs keep their lock until it expires, another replica then retries them,
    // and the ledger makes that retry harmless.
    stop: async () => {
      await workers.close();
      await mongo.close();
      await metricsServer?.close();
    },
  });

  await workers.start();
  logger.info({ queues, concurrency: config.WORKER_CONCURRENCY, transactions, delivery, metricsPort: metricsServer?.port }, 'worker ready');
  flushLogs(logger); // written now: a supervisor or a test waits for this line
}
