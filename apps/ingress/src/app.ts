import { randomUUID } from 'node:crypto';
import { errorList } from '@tally/contracts';
import type { Logger } from '@tally/logger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import type { Enqueuer } from './enqueue/summary-enqueuer.js';
import { Errors } from './errors.js';
import { type HttpLimits, httpLimitOptions } from './http-limits.js';
import type { IngressMetrics } from './metrics/ingress-metrics.js';
import { authPlugin, type TokenLookup } from './plugins/auth.plugin.js';
import { clientErrorHandler } from './plugins/client-error.js';
import { contentEncodingPlugin } from './plugins/content-encoding.plugin.js';
import { errorHandlerPlugin } from './plugins/error-handler.plugin.js';
import { headersFirstPlugin } from './plugins/headers-first.plugin.js';
import { jsonBodyPlugin } from './plugins/json-body.plugin.js';
import { metricsPlugin } from './plugins/metrics.plugin.js';
import { openApiPlugin } from './plugins/openapi.plugin.js';
import { rateLimitPlugin } from './plugins/rate-limit.plugin.js';
import { type RequestLogLevel, requestLogPlugin } from './plugins/request-log.plugin.js';
import type { WindowRateLimiter } from './rate-limit/window-rate-limiter.js';
import { eventsRoute } from './routes/events.route.js';
import type { EventsReader } from './routes/events-list.route.js';
import { eventsSummaryRoute, type SummariesReader } from './routes/events-summary.route.js';
import { type Delivery, healthRoute } from './routes/health.route.js';
import { summariesRoute } from './routes/summaries.route.js';
import { zodValidatorCompiler } from './validation/zod-validator-compiler.js';

export interface AppDeps {
  logger: Logger;
  /** Accepted tokens, read from memory on every request (see auth/token-cache.ts). */
  tokens: TokenLookup;
  enqueuer: Enqueuer;
  summaries: SummariesReader;
  events: EventsReader;
  /** How long raw events stay listable, in seconds (EVENTS_RETENTION_SECONDS). */
  eventsRetentionSeconds: number;
  bodyLimit: number;
  retryAfterSeconds: number;
  /** Level of the one line per request (default `info`; `silent` turns it off). */
  requestLogLevel?: RequestLogLevel;
  /** Shown by /readyz (default exactly-once). */
  delivery?: Delivery;
  /** Time and connection limits of the server (http-limits.ts); tests that only inject may omit them. */
  httpLimits?: HttpLimits;
  /** Clock in milliseconds; tests pin it. */
  now?: () => number;
  /** Prometheus metrics; absent when METRICS_PORT is unset. */
  metrics?: IngressMetrics;
  /** Rate limits; each is off when absent. */
  rateLimits?: { perWorkspace?: WindowRateLimiter; perToken?: WindowRateLimiter };
}

/**
 * Fastify's logger and request ids as the ingress sets them: a random id per request, logged as
 * `requestId`. Fastify's own two lines per request (received, completed) are replaced by one, from
 * plugins/request-log.plugin.ts, that names the route, status, latency and workspace.
 */
export function loggingOptions(logger: Logger) {
  return {
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
  };
}

/** Builds the ingress without listening, so tests drive it with `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggingOptions(deps.logger),
    bodyLimit: deps.bodyLimit,
    return503OnClosing: true,
    ...(deps.httpLimits ? httpLimitOptions(deps.httpLimits) : {}),
    // Refused by Node's parser (framing, header size, deadlines): still an error.list with a request id.
    clientErrorHandler: clientErrorHandler(deps.logger as FastifyBaseLogger),
    // A URL Fastify cannot route (bad percent-encoding): its default answer echoes the whole path.
    frameworkErrors: (error, request, reply) => {
      const http = Errors.badRequest(400, error.code === 'FST_ERR_BAD_URL' ? 'The URL is not validly encoded' : 'Bad request');
      void (reply as FastifyReply).code(400).header('x-request-id', request.id).send(errorList(request.id, http.errors));
    },
  });
  if (deps.httpLimits && deps.httpLimits.MAX_CONNECTIONS > 0) app.server.maxConnections = deps.httpLimits.MAX_CONNECTIONS;
  const now = deps.now ?? Date.now;
  // While closing, every answer closes its connection, so keep-alive clients let go and the
  // server can finish closing instead of waiting for their idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  // Every route's body, query and headers are validated by its zod schema (the contracts' rules).
  app.setValidatorCompiler(zodValidatorCompiler);
  await app.register(errorHandlerPlugin, { bodyLimit: deps.bodyLimit });
  if (deps.metrics) await app.register(metricsPlugin, { metrics: deps.metrics });
  await app.register(openApiPlugin);
  await app.register(requestLogPlugin, { level: deps.requestLogLevel ?? 'info' });
  await app.register(jsonBodyPlugin);
  await app.register(healthRoute, { enqueuer: deps.enqueuer, tokens: deps.tokens, delivery: deps.delivery ?? 'exactly-once' });
  await app.register(async (api) => {
    await api.register(authPlugin, { tokens: deps.tokens, retryAfterSeconds: deps.retryAfterSeconds });
    if (deps.rateLimits?.perWorkspace || deps.rateLimits?.perToken) await api.register(rateLimitPlugin, { ...deps.rateLimits, now });
    await api.register(headersFirstPlugin);
    await api.register(contentEncodingPlugin, { bodyLimit: deps.bodyLimit });
    await api.register(summariesRoute, { enqueuer: deps.enqueuer, now });
    await api.register(eventsRoute, { enqueuer: deps.enqueuer, now });
    await api.register(eventsSummaryRoute, {
      summaries: deps.summaries,
      retryAfterSeconds: deps.retryAfterSeconds,
      list: { events: deps.events, retentionSeconds: deps.eventsRetentionSeconds, retryAfterSeconds: deps.retryAfterSeconds, now },
    });
  });
  return app;
}
