import type { FastifyInstance } from 'fastify';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import type { TokenLookup } from '../plugins/auth.plugin.js';

/**
 * What a 200 promises: `exactly-once` unless the deployment allows a standalone MongoDB
 * (MONGO_ALLOW_STANDALONE=true), where a retried job can count twice.
 */
export type Delivery = 'exactly-once' | 'at-least-once';

/**
 * Probes for orchestrators, without authentication. `/healthz`: the process serves requests.
 * `/readyz`: it can accept summaries now (Redis connected, backlog under its cap, the token set
 * authoritative: one load of MongoDB's api_tokens succeeded, unless TOKEN_SOURCE=env); a load
 * balancer stops sending traffic while it answers 503.
 */
export async function healthRoute(
  app: FastifyInstance,
  { enqueuer, tokens, delivery }: { enqueuer: Enqueuer; tokens: TokenLookup; delivery: Delivery },
) {
  // Hidden from the OpenAPI document: probes are for orchestrators, not API clients.
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const queue = enqueuer.readiness();
    const state = tokens.authoritative() || !queue.ready ? queue : { ...queue, ready: false, reason: 'api_tokens not loaded yet' };
    return reply.code(state.ready ? 200 : 503).send({ status: state.ready ? 'ready' : 'unavailable', delivery, ...state });
  });
}
