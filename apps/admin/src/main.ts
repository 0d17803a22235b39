import { loadConfigOrExit, reachableUrl } from '@tally/config';
import { buildOpenApiDocument } from '@tally/ingress';
import { handleShutdownSignals } from '@tally/lifecycle';
import { createLogger } from '@tally/logger';
import { createMetricsRegistry, startMetricsServer } from '@tally/metrics';
import { Queue, queueName, reportRedisOutages } from '@tally/queue';
import { Redis } from 'ioredis';
import { buildAdminApp } from './app.js';
import { adminConfigSchema } from './config.js';
import { QueueGauges } from './metrics/queue-gauges.js';
import { operatorConnection, redisAddress } from './redis-connection.js';

/** config → logger → connections → app → listen → signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(adminConfigSchema, process.env, 'admin');
  const logger = createLogger({ name: 'admin', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  // The admin starts while Redis is down and serves 503s until it is back: operators need the
  // page most exactly when something is wrong.
  const redis = new Redis(operatorConnection(config.REDIS_URL));
  const address = redisAddress(config.REDIS_URL);
  redis.on('error', (err) => logger.debug({ err }, 'redis connection error'));
  reportRedisOutages(redis, {
    onDown: () => logger.warn({ redis: address }, 'redis unreachable: admin answers 503 until it is back'),
    onUp: () => logger.info({ redis: address }, 'redis connected'),
  });
  const queue = new Queue(queueName('summaries'), { connection: redis, prefix: config.QUEUE_PREFIX });
  queue.on('error', (err) => logger.debug({ err }, 'queue error'));
  const registry = createMetricsRegistry();
  const gauges = new QueueGauges(queue, registry, logger);
  const metricsServer =
    config.METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer(registry, { port: config.METRICS_PORT, host: config.METRICS_HOST });
  if (metricsServer) gauges.start(config.METRICS_SAMPLE_MS);
  const app = await buildAdminApp({
    logger,
    queue,
    credentials: { user: config.ADMIN_USER, password: config.ADMIN_PASSWORD },
    apiDocument: await buildOpenApiDocument(),
  });

  handleShutdownSignals({
    name: 'admin',
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    stop: async () => {
      await app.close();
      gauges.stop();
      await metricsServer?.close();
      await queue.close().catch(() => undefined);
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
      queue: queue.name,
      prefix: config.QUEUE_PREFIX,
      metricsPort: metricsServer?.port,
    },
    'admin listening',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`admin: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
