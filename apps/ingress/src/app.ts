import { randomUUID } from 'node:crypto';
import type { Logger } from '@tally/logger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Enqueuer } from './enqueue/summary-enqueuer.js';
import { authPlugin, type TokenLookup } from './plugins/auth.plugin.js';
import { errorHandlerPlugin } from './plugins/error-handler.plugin.js';
import { intercomVersionPlugin } from './plugins/intercom-version.plugin.js';
import { type RequestLogLevel, requestLogPlugin } from './plugins/request-log.plugin.js';
import { eventsRoute } from './routes/events.route.js';
import { eventsSummaryRoute, type SummariesReader } from './routes/events-summary.route.js';
import { healthRoute } from './routes/health.route.js';
import { summariesRoute } from './routes/summaries.route.js';

export interface AppDeps {
  logger: Logger;
  /** Accepted tokens, read from memory on every request (see auth/token-cache.ts). */
  tokens: TokenLookup;
  enqueuer: Enqueuer;
  summaries: SummariesReader;
  bodyLimit: number;
  retryAfterSeconds: number;
  /** Level of the one line per request (default `info`; `silent` turns it off). */
  requestLogLevel?: RequestLogLevel;
  /** Clock in milliseconds; tests pin it. */
  now?: () => number;
}

/** Builds the ingress without listening, so tests drive it with `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit,
    genReqId: () => randomUUID(),
    // Fastify's own two lines per request (received, completed) are replaced by one, from
    // plugins/request-log.plugin.ts, that names the route, status, latency and workspace.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    return503OnClosing: true,
  });
  const now = deps.now ?? Date.now;
  // While closing, every answer closes its connection, so keep-alive clients let go and the
  // server can finish closing instead of waiting for their idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  await app.register(errorHandlerPlugin, { bodyLimit: deps.bodyLimit });
  await app.register(requestLogPlugin, { level: deps.requestLogLevel ?? 'info' });
  await app.register(healthRoute, { enqueuer: deps.enqueuer, tokens: deps.tokens });
  await app.register(async (api) => {
    await api.register(authPlugin, { tokens: deps.tokens });
    await api.register(intercomVersionPlugin);
    await api.register(summariesRoute, { enqueuer: deps.enqueuer, now });
    await api.register(eventsRoute, { enqueuer: deps.enqueuer, now });
    await api.register(eventsSummaryRoute, { summaries: deps.summaries, retryAfterSeconds: deps.retryAfterSeconds });
  });
  return app;
}
