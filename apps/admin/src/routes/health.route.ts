import type { FastifyInstance } from 'fastify';

/**
 * Liveness probe for orchestrators, the only route without authentication: it says the process
 * serves HTTP and nothing about the queue.
 */
export async function healthRoute(app: FastifyInstance) {
  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'ok' }));
}
