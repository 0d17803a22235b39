import { loadConfigOrExit, reachableUrl } from '@tally/config';
import { createLogger } from '@tally/logger';
import { ingressConfigSchema } from './config.js';
import { createIngress } from './ingress.js';

/** config → logger → connections → app → listen → signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(ingressConfigSchema, process.env, 'ingress');
  const logger = createLogger({ name: 'ingress', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const ingress = await createIngress(config, logger);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'ingress stopping: refusing new connections, answering in-flight requests');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline reached: exiting with requests in flight');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    await ingress.close();
    clearTimeout(deadline);
    logger.info('ingress stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // Listen once Redis is connected, so the first requests are not refused for a connection still
  // being made; with Redis down the ingress still starts, answering 503 until it is back.
  if (!(await ingress.redisReady(5000))) logger.warn('Redis is not reachable yet: listening anyway, answering 503 until it is');
  const address = await ingress.app.listen({ port: config.PORT, host: config.HOST });
  const url = reachableUrl(address);
  logger.info({ url, port: Number(new URL(url).port) }, 'ingress listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`ingress: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
