import type { FastifyInstance } from 'fastify';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import type { TokenLookup } from '../plugins/auth.plugin.js';

/**
 * Probes for orchestrators, without authentication. `/healthz`: the process serves requests.
 * `/readyz`: it can accept summaries now (Redis connected, backlog under its cap, the first
 * load of MongoDB's api_tokens tried); a load balancer stops sending traffic while it answers 503.
 */
export async function healthRoute(app: FastifyInstance, { enqueuer, tokens }: { enqueuer: Enqueuer; tokens: TokenLookup }) {
  // Hidden from the OpenAPI document: probes are for orchestrators, not API clients.
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const queue = enqueuer.readiness();
    const state = tokens.settled() || !queue.ready ? queue : { ...queue, ready: false, reason: 'api_tokens not loaded yet' };
    return reply.code(state.ready ? 200 : 503).send({ status: state.ready ? 'ready' : 'unavailable', ...state });
  });
}
