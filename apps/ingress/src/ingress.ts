import type { DeepReadonly } from '@tally/config';
import type { Logger } from '@tally/logger';
import { producerConnection, Queue, queueName, reportRedisOutages } from '@tally/queue';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from './app.js';
import { TokenCache } from './auth/token-cache.js';
import type { IngressConfig } from './config.js';
import { BacklogMonitor } from './enqueue/backlog-monitor.js';
import { ReplayCache } from './enqueue/replay-cache.js';
import { SummaryEnqueuer } from './enqueue/summary-enqueuer.js';
import { openReadStore } from './read/read-store.js';

export interface Ingress {
  app: FastifyInstance;
  queue: Queue;
  enqueuer: SummaryEnqueuer;
  /** The accepted tokens: TALLY_TOKENS plus MongoDB's api_tokens, refreshed in the background. */
  tokens: TokenCache;
  /** Resolves true once Redis is connected, or false after `timeoutMs` (the ingress then starts anyway). */
  redisReady(timeoutMs: number): Promise<boolean>;
  /**
   * Graceful stop: refuse new connections, answer every in-flight request truthfully (its
   * micro-batch is flushed first), then close Redis and MongoDB.
   */
  close(): Promise<void>;
}

/** Wires the ingress from its configuration: connections, queue, enqueuer and the app. */
export async function createIngress(config: DeepReadonly<IngressConfig>, logger: Logger): Promise<Ingress> {
  // Fail-fast Redis: a request never waits for a reconnect; the ingress recovers by itself.
  const redis = new Redis(producerConnection(config.REDIS_URL, { commandTimeoutMs: config.ENQUEUE_TIMEOUT_MS }));
  redis.on('error', (err) => logger.debug({ err }, 'redis connection error'));
  reportRedisOutages(redis, {
    onDown: () => logger.warn('redis unreachable: answering 503 until it is back'),
    onUp: () => logger.info('redis connected'),
  });
  redis.on('end', () => logger.debug('redis connection ended'));
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
  const store = openReadStore(config);
  const tokens = new TokenCache({
    envTokens: config.TALLY_TOKENS,
    load: store.activeTokens,
    refreshMs: config.TOKEN_REFRESH_MS,
    logger,
  });
  tokens.start();
  const app = await buildApp({
    logger,
    requestLogLevel: config.REQUEST_LOG_LEVEL,
    tokens,
    enqueuer,
    summaries: store.summaries,
    bodyLimit: config.BODY_LIMIT_BYTES,
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
  });

  const close = async () => {
    const closed = app.close();
    // Node closes idle keep-alive sockets once, when close starts; sockets that go idle later
    // (their last answer sent) would hold the close open until their keep-alive timeout.
    const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
    await enqueuer.drain();
    await closed;
    clearInterval(sweeper);
    backlog.stop();
    tokens.stop();
    await queue.close().catch(() => undefined);
    redis.disconnect();
    await store.close().catch(() => undefined);
  };
  const redisReady = (timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (redis.status === 'ready') return resolve(true);
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      redis.once('ready', onReady);
    });
  return { app, queue, enqueuer, redisReady, tokens, close };
}
