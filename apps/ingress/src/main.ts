import { ConfigError, loadConfig } from '@tally/config';
import { createLogger } from '@tally/logger';
import { Queue, producerConnection, queueName } from '@tally/queue';
import { EventSummariesRepository } from '@tally/store';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { buildApp } from './app.js';
import { ingressConfigSchema } from './config.js';
import { BacklogMonitor } from './enqueue/backlog-monitor.js';
import { ReplayCache } from './enqueue/replay-cache.js';
import { SummaryEnqueuer } from './enqueue/summary-enqueuer.js';

/** config → logger → connections → buildApp → listen → signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(ingressConfigSchema, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ingress: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger({ name: 'ingress', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });

  // Fail-fast Redis: a request never waits for a reconnect; the ingress recovers by itself.
  const redis = new Redis(producerConnection(config.REDIS_URL));
  redis.on('error', (err) => logger.debug({ err }, 'redis connection error'));
  redis.on('ready', () => logger.info('redis connected'));
  redis.on('close', () => logger.warn('redis connection lost: answering 503 until it is back'));
  const queue = new Queue(queueName('summaries'), { connection: redis, prefix: config.QUEUE_PREFIX });
  queue.on('error', (err) => logger.debug({ err }, 'queue error'));
  const backlog = new BacklogMonitor(queue, config.BACKLOG_MAX_JOBS, config.BACKLOG_POLL_MS);
  backlog.start();
  const enqueuer = new SummaryEnqueuer({
    queue,
    redis,
    backlog,
    replays: new ReplayCache(redis, config.QUEUE_PREFIX, config.IDEMPOTENCY_TTL_SECONDS),
    logger,
    maxWaitMs: config.BATCH_MAX_WAIT_MS,
    maxSummaries: config.BATCH_MAX_SUMMARIES,
    enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
  });
  // MongoDB only serves reads here; the client connects lazily so the ingress starts, and keeps
  // accepting summaries, while MongoDB is down.
  const mongo = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 2000, appName: 'tally-ingress' });
  const app = await buildApp({
    logger,
    tokens: config.TALLY_TOKENS,
    enqueuer,
    summaries: new EventSummariesRepository(mongo.db(config.MONGO_DB)),
    bodyLimit: config.BODY_LIMIT_BYTES,
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'ingress stopping: refusing new connections, answering in-flight requests');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline reached: exiting with requests in flight');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    // Close the listener first (in-flight requests finish), then flush the micro-batch they
    // may still be waiting on; every request gets a truthful answer before the queue closes.
    const closed = app.close();
    await enqueuer.drain();
    await closed;
    backlog.stop();
    await queue.close().catch(() => undefined);
    redis.disconnect();
    await mongo.close().catch(() => undefined);
    clearTimeout(deadline);
    logger.info('ingress stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const url = address.replace('0.0.0.0', '127.0.0.1');
  logger.info({ url, port: Number(new URL(url).port) }, 'ingress listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`ingress: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
