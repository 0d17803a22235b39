import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { REDIS_UNAVAILABLE } from './queue-ready.hook.js';

/** ioredis's ways of saying Redis cannot be reached right now. */
const REDIS_DOWN = /MaxRetriesPerRequest|Connection is closed|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|enableOfflineQueue/i;

/** True when `error` means "Redis is unreachable" rather than a bug. */
export function isRedisUnavailable(error: Error): boolean {
  return REDIS_DOWN.test(`${error.name} ${error.message}`);
}

/**
 * One error shape for the operator API and a not-found that looks like every other reply. A
 * Redis outage is a 503 the operator can act on; anything else is a 500 that logs an error id
 * and never returns a stack.
 */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error.statusCode !== undefined && error.statusCode < 500) {
        return reply.code(error.statusCode).send({ error: error.code ?? 'bad_request', message: error.message });
      }
      if (isRedisUnavailable(error)) {
        request.log.warn({ err: error }, 'redis unavailable');
        return reply.code(503).header('retry-after', '2').send(REDIS_UNAVAILABLE);
      }
      const errorId = randomUUID();
      request.log.error({ err: error, errorId }, 'unhandled error');
      return reply.code(500).send({ error: 'internal', message: `internal error (id ${errorId} in the admin log)` });
    });
    app.setNotFoundHandler(async (request, reply) =>
      reply.code(404).send({ error: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` }),
    );
  },
  { name: 'tally-admin-error-handler' },
);
