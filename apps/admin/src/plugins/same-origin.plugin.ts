import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests that a browser says come from another site. Browsers re-send
 * cached Basic credentials on cross-site requests, so without this a page elsewhere could make
 * a logged-in operator's browser retry or delete jobs through Bull Board's API (CSRF). The CLI
 * and curl send neither header and are unaffected.
 */
export const sameOriginPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (isCrossSite(request)) {
        request.log.warn({ origin: request.headers.origin, url: request.url }, 'cross-site admin request refused');
        return reply.code(403).send({ error: 'forbidden', message: 'cross-site requests may not change the queue' });
      }
    });
  },
  { name: 'tally-admin-same-origin' },
);

function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}
