import { setFlagsFromString } from 'node:v8';
import { loadConfigOrExit, reachableUrl } from '@tally/config';
import { handleShutdownSignals } from '@tally/lifecycle';
import { createLogger, flushLogs } from '@tally/logger';
import { ingressConfigSchema } from './config.js';
import { createIngress } from './ingress.js';

/** config → logger → connections → app → listen → signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(ingressConfigSchema, process.env, 'ingress');
  const logger = createLogger({ name: 'ingress', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  // A GC heuristic V8 reads at each collection, so it takes effect though the VM is running.
  if (config.HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWING_PERCENT}`);
  const ingress = await createIngress(config, logger);

  // Refuse new connections, answer every in-flight request truthfully, then close connections.
  handleShutdownSignals({ name: 'ingress', logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, stop: () => ingress.close() });

  // Listen once Redis is connected, so the first requests are not refused for a connection still
  // being made; with Redis down the ingress still starts, answering 503 until it is back.
  if (!(await ingress.redisReady(5000))) logger.warn('Redis is not reachable yet: listening anyway, answering 503 until it is');
  const address = await ingress.app.listen({ port: config.PORT, host: config.HOST });
  const url = reachableUrl(address);
  logger.info({ url, port: Number(new URL(url).port), metricsPort: ingress.metricsServer?.port }, 'ingress listening');
  flushLogs(logger); // written now: a supervisor or a test waits for this line
}

main().catch((error: unknown) => {
  process.stderr.write(`ingress: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
