import type { FastifyInstance } from 'fastify';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';

/**
 * Probes for orchestrators, without authentication. `/healthz`: the process serves requests.
 * `/readyz`: it can accept summaries now (Redis connected, backlog under its cap); a load
 * balancer stops sending traffic while it answers 503.
 */
export async function healthRoute(app: FastifyInstance, { enqueuer }: { enqueuer: Enqueuer }) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const state = enqueuer.readiness();
    return reply.code(state.ready ? 200 : 503).send({ status: state.ready ? 'ready' : 'unavailable', ...state });
  });
}
