import { type DeepReadonly, redisTargetOf } from '@tally/config';
import type { Logger } from '@tally/logger';
import { createMetricsRegistry, type MetricsServer, type Registry, startMetricsServer } from '@tally/metrics';
import { createRedisClient, producerPolicy, Queue, reportRedisOutages, shardQueueNames } from '@tally/queue';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { TokenCache } from './auth/token-cache.js';
import type { IngressConfig } from './config.js';
import { BacklogMonitor } from './enqueue/backlog-monitor.js';
import { IdempotencyReservations } from './enqueue/idempotency-reservations.js';
import { SummaryEnqueuer } from './enqueue/summary-enqueuer.js';
import { IngressMetrics } from './metrics/ingress-metrics.js';
import { RedisAllowanceStore } from './rate-limit/allowance-store.js';
import { WindowRateLimiter } from './rate-limit/window-rate-limiter.js';
import { openReadStore } from './read/read-store.js';
import { withTimeout } from './support/with-timeout.js';

export interface Ingress {
  app: FastifyInstance;
  /** The first shard of the summaries queue (the only one unless QUEUE_SHARDS > 1). */
  queue: Queue;
  /** Every shard of the summaries queue. */
  queues: Queue[];
  enqueuer: SummaryEnqueuer;
  /** The accepted tokens: TALLY_TOKENS plus MongoDB's api_tokens, refreshed in the background. */
  tokens: TokenCache;
  /** This process's Prometheus registry. */
  registry: Registry;
  /** The `/metrics` server, when METRICS_PORT is set. */
  metricsServer: MetricsServer | undefined;
  /** Resolves true once Redis is connected, or false after `timeoutMs` (the ingress then starts anyway). */
  redisReady(timeoutMs: number): Promise<boolean>;
  /**
   * Graceful stop: refuse new connections, answer every in-flight request truthfully (its
   * micro-batch is flushed first), then close Redis and MongoDB.
   */
  close(): Promise<void>;
}

/** Wires the ingress from its configuration: connections, queue, enqueuer and the app. */
export async function createIngress(
  config: DeepReadonly<IngressConfig>,
  logger: Logger,
  /** Clock in milliseconds; tests pin it (rate-limit windows). */
  { now = Date.now }: { now?: () => number } = {},
): Promise<Ingress> {
  // Fail-fast Redis: a request never waits for a reconnect; the ingress recovers by itself.
  // One client for a single Redis or a whole cluster (REDIS_CLUSTER_NODES), same policy either way.
  const target = redisTargetOf(config);
  const redis = createRedisClient(target, producerPolicy({ commandTimeoutMs: config.ENQUEUE_TIMEOUT_MS }));
  redis.on('error', (err) => logger.debug({ err }, 'redis connection error'));
  reportRedisOutages(redis, {
    onDown: () => logger.warn('redis unreachable: answering 503 until it is back'),
    onUp: () => logger.info('redis connected'),
  });
  redis.on('end', () => logger.debug('redis connection ended'));
  const queues = shardQueueNames('summaries', { shards: config.QUEUE_SHARDS, cluster: target.kind === 'cluster' }).map((name) => {
    const queue = new Queue(name, { connection: redis, prefix: config.QUEUE_PREFIX });
    queue.on('error', (err) => logger.debug({ err }, 'queue error'));
    return queue;
  });
  const registry = createMetricsRegistry();
  // Counted only when served: without METRICS_PORT the hot path does no metrics work at all.
  const metrics = config.METRICS_PORT === undefined ? undefined : new IngressMetrics(registry);
  const backlog = new BacklogMonitor(
    queues,
    redis,
    {
      maxJobs: config.BACKLOG_MAX_JOBS,
      maxSummaries: config.BACKLOG_MAX_SUMMARIES,
      workspaceShare: config.BACKLOG_WORKSPACE_SHARE_PERCENT / 100,
      memoryMaxRatio: config.REDIS_MEMORY_MAX_PERCENT / 100,
      maxFailedPolls: config.BACKLOG_MAX_FAILED_POLLS,
      pollMs: config.BACKLOG_POLL_MS,
    },
    logger,
  );
  backlog.start();
  const enqueuer = new SummaryEnqueuer({
    queues,
    redis,
    backlog,
    reservations: new IdempotencyReservations(redis, config.QUEUE_PREFIX, config.DEDUP_WINDOW_SECONDS, {
      enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
      lingerMs: config.BATCH_MAX_WAIT_MS,
    }),
    logger,
    lingerMs: config.BATCH_MAX_WAIT_MS,
    maxSummaries: config.BATCH_MAX_SUMMARIES,
    maxInFlight: config.BATCH_MAX_IN_FLIGHT,
    enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
    waitReplicas: config.REDIS_WAIT_REPLICAS,
    waitTimeoutMs: config.REDIS_WAIT_TIMEOUT_MS,
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
    ...(metrics ? { metrics } : {}),
  });
  const store = openReadStore(config);
  const tokens = new TokenCache({
    source: config.TOKEN_SOURCE,
    envTokens: config.TALLY_TOKENS,
    load: store.activeTokens,
    refreshMs: config.TOKEN_REFRESH_MS,
    logger,
  });
  tokens.start();
  const allowances = new RedisAllowanceStore(redis, config.QUEUE_PREFIX);
  const limiter = (scope: string, perMinute: number) =>
    perMinute === 0
      ? undefined
      : new WindowRateLimiter(allowances, scope, perMinute, (err) =>
          logger.debug({ err }, 'rate limit draw failed: letting traffic through'),
        );
  const perWorkspace = limiter('workspace', config.RATE_LIMIT_PER_MINUTE);
  const perToken = limiter('token', config.RATE_LIMIT_PER_TOKEN_PER_MINUTE);
  const app = await buildApp({
    logger,
    now,
    rateLimits: { ...(perWorkspace ? { perWorkspace } : {}), ...(perToken ? { perToken } : {}) },
    requestLogLevel: config.REQUEST_LOG_LEVEL,
    tokens,
    enqueuer,
    summaries: store.summaries,
    events: store.events,
    eventsRetentionSeconds: config.EVENTS_RETENTION_SECONDS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    httpLimits: config,
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
    ...(metrics ? { metrics } : {}),
    delivery: config.MONGO_ALLOW_STANDALONE ? 'at-least-once' : 'exactly-once',
  });
  const metricsServer =
    config.METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer(registry, { port: config.METRICS_PORT, host: config.METRICS_HOST });

  const close = async () => {
    const closed = app.close();
    // Node closes idle keep-alive sockets once, when close starts; sockets that go idle later
    // (their last answer sent) would hold the close open until their keep-alive timeout.
    const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
    await enqueuer.drain();
    await closed;
    clearInterval(sweeper);
    // The last jobs' backlog counts, summed for up to 100 ms, would otherwise go with the timer;
    // bounded, so a hung Redis does not hold the shutdown (the counter then under-counts until
    // the queue next drains).
    await withTimeout(backlog.flushIncrements(), config.ENQUEUE_TIMEOUT_MS, 'backlog increments not sent').catch(() => undefined);
    backlog.stop();
    tokens.stop();
    await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
    redis.disconnect();
    await store.close().catch(() => undefined);
    await metricsServer?.close();
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
  return { app, queue: queues[0]!, queues, enqueuer, redisReady, tokens, registry, metricsServer, close };
}
