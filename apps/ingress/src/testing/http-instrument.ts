import { setFlagsFromString } from 'node:v8';
import { type DeepReadonly, loadConfigOrExit, reachableUrl } from '@tally/config';
import { createLogger, flushLogs, type Logger } from '@tally/logger';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { TokenCache } from '../auth/token-cache.js';
import { type IngressConfig, ingressConfigSchema } from '../config.js';
import { acceptingDeps } from './accepting-deps.js';

/**
 * What the HTTP-layer measuring instruments (http-layer-only.main.ts, http-layer-ladder.main.ts)
 * share: the ingress's configuration (TALLY_TOKENS, REQUEST_LOG_LEVEL, HEAP_GROWING_PERCENT, the
 * body limit; its Redis and MongoDB settings are read but never used), its logger and its token
 * cache, set up as the ingress sets them up.
 */
export interface Instrument {
  config: DeepReadonly<IngressConfig>;
  logger: Logger;
  tokens: TokenCache;
}

export function instrumentSetup(name: string): Instrument {
  const config = loadConfigOrExit(ingressConfigSchema, { ...process.env, TOKEN_SOURCE: 'env' }, name);
  const logger = createLogger({ name: 'ingress', level: config.LOG_LEVEL });
  if (config.HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWING_PERCENT}`);
  const tokens = new TokenCache({ source: 'env', envTokens: config.TALLY_TOKENS, load: async () => [], refreshMs: 60_000, logger });
  tokens.start();
  return { config, logger, tokens };
}

/** The ingress's whole HTTP layer (`buildApp`) with an enqueuer that accepts every request at once. */
export function acceptingApp({ config, logger, tokens }: Instrument): Promise<FastifyInstance> {
  return buildApp({
    logger,
    tokens,
    ...acceptingDeps,
    eventsRetentionSeconds: config.EVENTS_RETENTION_SECONDS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
    requestLogLevel: config.REQUEST_LOG_LEVEL,
    httpLimits: config,
  });
}

/** Listens where the ingress would, says `ingress listening` with its URL, and closes on SIGINT/SIGTERM. */
export async function serve(app: FastifyInstance, { config, logger }: Instrument, fields: Record<string, unknown> = {}): Promise<void> {
  const url = reachableUrl(await app.listen({ port: config.PORT, host: config.HOST }));
  logger.info({ url, ...fields }, 'ingress listening');
  flushLogs(logger);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void app.close().then(() => process.exit(0)));
}
