import { randomUUID } from 'node:crypto';
import type { Logger } from '@tally/logger';
import type { Queue } from '@tally/queue';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { BasicCredentials } from './auth/basic-credentials.js';
import type { LoginThrottleOptions } from './auth/login-throttle.js';
import { apiDocsPlugin } from './plugins/api-docs.plugin.js';
import { basicAuthPlugin } from './plugins/basic-auth.plugin.js';
import { bullBoardPlugin } from './plugins/bull-board.plugin.js';
import { errorHandlerPlugin } from './plugins/error-handler.plugin.js';
import { requireQueues } from './plugins/queue-ready.hook.js';
import { sameOriginPlugin } from './plugins/same-origin.plugin.js';
import { securityHeadersPlugin } from './plugins/security-headers.plugin.js';
import { failedRoute } from './routes/failed.route.js';
import { healthRoute } from './routes/health.route.js';
import { overviewRoute } from './routes/overview.route.js';

export interface AdminAppDeps {
  logger: Logger;
  /**
   * Every shard of the summaries queue, with the deployment's key prefix (one queue when not
   * sharded): the views sum them, Bull Board lists one entry each.
   */
  queues: readonly Queue[];
  /** The only credentials accepted (ADMIN_USER / ADMIN_PASSWORD). */
  credentials: BasicCredentials;
  /** Backoff on failed logins per client IP; the default allows 5 free failures, then 1 s doubling to 15 min. */
  loginThrottle?: LoginThrottleOptions;
  /** Clock in milliseconds; tests pin it. */
  now?: () => number;
  /** How long a request waits for a Redis connection that is not up yet before it gets a 503. */
  redisWaitMs?: number;
  /** The ingress's OpenAPI document, served with Swagger UI under /admin/api-docs. */
  apiDocument?: OpenAPIV3_1.Document;
}

/**
 * Builds the admin without listening, so tests drive it with `app.inject()`: Bull Board at
 * `/admin/queues`, the operator API under `/admin/api`, `/healthz`, all behind HTTP Basic
 * except the probe.
 */
export async function buildAdminApp(deps: AdminAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    // Bull Board polls every few seconds per open tab: request lines would bury everything else.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    return503OnClosing: true,
  });
  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin);
  await app.register(basicAuthPlugin, { credentials: deps.credentials, ...(deps.loginThrottle ? { throttle: deps.loginThrottle } : {}) });
  await app.register(sameOriginPlugin);
  await app.register(healthRoute);
  if (deps.apiDocument) await app.register(apiDocsPlugin, { document: deps.apiDocument });
  // Everything below reads Redis; the probe above must not, so a Redis outage does not get the
  // admin restarted by its orchestrator.
  await app.register(async (queueRoutes) => {
    queueRoutes.addHook('onRequest', requireQueues(deps.queues, deps.redisWaitMs ?? 2000));
    await queueRoutes.register(overviewRoute, { queues: deps.queues, now: deps.now ?? Date.now });
    await queueRoutes.register(failedRoute, { queues: deps.queues });
    await queueRoutes.register(bullBoardPlugin, { queues: deps.queues });
  });
  return app;
}
