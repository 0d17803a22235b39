import { loadConfigOrExit } from '@tally/config';
import { createLogger, type Logger } from '@tally/logger';
import { createMetricsRegistry, startMetricsServer } from '@tally/metrics';
import { consumerConnection } from '@tally/queue';
import { connectMongo, EventSummariesRepository, ensureIndexes, IngestLedgerRepository, supportsTransactions } from '@tally/store';
import { workerConfigSchema } from './config.js';
import { WorkerMetrics } from './metrics/worker-metrics.js';
import { createSummariesWorker } from './worker.js';

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

/** config → logger → connections → worker → signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(workerConfigSchema, process.env, 'worker');
  const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const registry = createMetricsRegistry();
  // Up before MongoDB is: a worker waiting for MongoDB is exactly what an operator wants to see.
  const metricsServer =
    config.METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer(registry, { port: config.METRICS_PORT, host: config.METRICS_HOST });
  const mongo = await connectWithRetry(() => connectMongo(config.MONGO_URL, config.MONGO_DB), logger);
  await ensureIndexes(mongo.db, { ledgerTtlSeconds: config.LEDGER_TTL_SECONDS });
  const transactions = await supportsTransactions(mongo.db);
  if (!transactions) {
    logger.warn(
      'MongoDB is a standalone server without transactions: applying without the ingest ledger, so a retried job CAN count twice. Run a replica set in production.',
    );
  }
  const worker = createSummariesWorker({
    connection: consumerConnection(config.REDIS_URL),
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
      transactions,
      ...(config.TALLY_TEST_CRASH_AFTER_COMMIT ? { afterCommit: () => process.kill(process.pid, 'SIGKILL') } : {}),
    },
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing in-flight jobs');
    const deadline = setTimeout(() => {
      // Jobs still running keep their lock until it expires; another replica then retries
      // them, and the ledger makes that retry harmless.
      logger.warn({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline reached: closing without waiting');
      void worker.close(true);
    }, config.SHUTDOWN_TIMEOUT_MS);
    try {
      await worker.close();
      await mongo.close();
      await metricsServer?.close();
    } finally {
      clearTimeout(deadline);
      logger.info('worker stopped');
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  void worker.run();
  await worker.waitUntilReady();
  logger.info(
    { queue: worker.name, concurrency: config.WORKER_CONCURRENCY, transactions, metricsPort: metricsServer?.port },
    'worker ready',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`worker: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
