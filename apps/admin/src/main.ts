import { loadConfigOrExit, reachableUrl, redisTargetOf } from '@tally/config';
import { buildOpenApiDocument } from '@tally/ingress';
import { handleShutdownSignals } from '@tally/lifecycle';
import { createLogger, flushLogs } from '@tally/logger';
import { createMetricsRegistry, startMetricsServer } from '@tally/metrics';
import { createRedisClient, describeRedisTarget, Queue, reportRedisOutages, shardQueueNames } from '@tally/queue';
import { buildAdminApp } from './app.js';
import { adminConfigSchema } from './config.js';
import { QueueGauges } from './metrics/queue-gauges.js';
import { operatorPolicy } from './redis-connection.js';

/** config → logger → connections → app → listen → signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(adminConfigSchema, process.env, 'admin');
  const logger = createLogger({ name: 'admin', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  // The admin starts while Redis is down and serves 503s until it is back: operators need the
  // page most exactly when something is wrong.
  const target = redisTargetOf(config);
  const redis = createRedisClient(target, operatorPolicy());
  const address = describeRedisTarget(target);
  redis.on('error', (err) => logger.debug({ err }, 'redis connection error'));
  reportRedisOutages(redis, {
    onDown: () => logger.warn({ redis: address }, 'redis unreachable: admin answers 503 until it is back'),
    onUp: () => logger.info({ redis: address }, 'redis connected'),
  });
  const queues = shardQueueNames('summaries', { shards: config.QUEUE_SHARDS, cluster: target.kind === 'cluster' }).map((name) => {
    const queue = new Queue(name, { connection: redis, prefix: config.QUEUE_PREFIX });
    queue.on('error', (err) => logger.debug({ err }, 'queue error'));
    return queue;
  });
  const registry = createMetricsRegistry();
  // One set of gauges per shard, told apart by their `queue` label.
  const gauges = queues.map((shard) => new QueueGauges(shard, registry, logger));
  const metricsServer =
    config.METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer(registry, { port: config.METRICS_PORT, host: config.METRICS_HOST });
  if (metricsServer) for (const g of gauges) g.start(config.METRICS_SAMPLE_MS);
  const app = await buildAdminApp({
    logger,
    queues,
    credentials: { user: config.ADMIN_USER, password: config.ADMIN_PASSWORD },
    apiDocument: await buildOpenApiDocument(),
  });

  handleShutdownSignals({
    name: 'admin',
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    stop: async () => {
      await app.close();
      for (const g of gauges) g.stop();
      await metricsServer?.close();
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
      redis.disconnect();
    },
  });

  const listening = await app.listen({ port: config.ADMIN_PORT, host: config.ADMIN_HOST });
  const url = reachableUrl(listening);
  logger.info(
    {
      url,
      port: Number(new URL(url).port),
      board: `${url}/admin/queues`,
      apiDocs: `${url}/admin/api-docs`,
      queues: queues.map((q) => q.name),
      prefix: config.QUEUE_PREFIX,
      metricsPort: metricsServer?.port,
    },
    'admin listening',
  );
  flushLogs(logger); // written now: a supervisor or a test waits for this line
}

main().catch((error: unknown) => {
  process.stderr.write(`admin: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
