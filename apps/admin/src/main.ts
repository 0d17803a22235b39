import { loadConfigOrExit, reachableUrl } from '@tally/config';
import { createLogger } from '@tally/logger';
import { Queue, queueName, reportRedisOutages } from '@tally/queue';
import { Redis } from 'ioredis';
import { buildAdminApp } from './app.js';
import { adminConfigSchema } from './config.js';
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
  const app = await buildAdminApp({ logger, queue, credentials: { user: config.ADMIN_USER, password: config.ADMIN_PASSWORD } });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'admin stopping');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline reached: exiting with requests in flight');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    await app.close();
    await queue.close().catch(() => undefined);
    redis.disconnect();
    clearTimeout(deadline);
    logger.info('admin stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const listening = await app.listen({ port: config.ADMIN_PORT, host: config.ADMIN_HOST });
  const url = reachableUrl(listening);
  logger.info(
    { url, port: Number(new URL(url).port), board: `${url}/admin/queues`, queue: queue.name, prefix: config.QUEUE_PREFIX },
    'admin listening',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`admin: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
