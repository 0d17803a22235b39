/**
 * A measuring instrument, not a service: the ingress's whole HTTP layer (`buildApp`: the request
 * id, auth with TALLY_TOKENS, header and body validation, the JSON parser, metrics and the
 * request line, the error handler) with an enqueuer that accepts every request at once and
 * reaches no Redis. Run side by side with the real ingress, it splits the CPU per request
 * between the HTTP layer and the queueing behind it (test/src/tools/ingress-ab.ts):
 *
 *   npm run build && node --conditions=tally-source --import tsx test/src/tools/ingress-ab.ts \
 *     'real=apps/ingress/dist/main.js' 'http-only=apps/ingress/dist/testing/http-layer-only.main.js'
 *
 * It reads the ingress's configuration (TALLY_TOKENS, REQUEST_LOG_LEVEL, HEAP_GROWING_PERCENT,
 * body limit) and ignores its Redis and MongoDB settings.
 */
import { setFlagsFromString } from 'node:v8';
import { loadConfigOrExit, reachableUrl } from '@tally/config';
import { createLogger, flushLogs } from '@tally/logger';
import { buildApp } from '../app.js';
import { TokenCache } from '../auth/token-cache.js';
import { ingressConfigSchema } from '../config.js';
import { acceptingDeps } from './accepting-deps.js';

const config = loadConfigOrExit(ingressConfigSchema, { ...process.env, TOKEN_SOURCE: 'env' }, 'http-layer-only');
const logger = createLogger({ name: 'ingress', level: config.LOG_LEVEL });
if (config.HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWING_PERCENT}`);
const tokens = new TokenCache({ source: 'env', envTokens: config.TALLY_TOKENS, load: async () => [], refreshMs: 60_000, logger });
tokens.start();
const app = await buildApp({
  logger,
  tokens,
  ...acceptingDeps,
  eventsRetentionSeconds: config.EVENTS_RETENTION_SECONDS,
  bodyLimit: config.BODY_LIMIT_BYTES,
  retryAfterSeconds: config.RETRY_AFTER_SECONDS,
  requestLogLevel: config.REQUEST_LOG_LEVEL,
  httpLimits: config,
});
const url = reachableUrl(await app.listen({ port: config.PORT, host: config.HOST }));
logger.info({ url }, 'ingress listening');
flushLogs(logger);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void app.close().then(() => process.exit(0)));
