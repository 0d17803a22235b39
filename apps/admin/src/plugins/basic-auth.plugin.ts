import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { BASIC_REALM, type BasicCredentials, credentialsMatch, parseBasicAuth } from '../auth/basic-credentials.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Serve this route without authentication (health probes only). */
    public?: boolean;
  }
}

/**
 * HTTP Basic authentication for every route, Bull Board's pages, API and static files included,
 * and for unknown paths too, so a 404 does not reveal which paths exist. Only routes marked
 * `config: { public: true }` skip it. Basic sends the password on every request: in production
 * the admin belongs behind TLS or on a private network.
 */
export const basicAuthPlugin = fp<{ credentials: BasicCredentials }>(
  async (app: FastifyInstance, { credentials }) => {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.routeOptions.config.public === true) return;
      const presented = parseBasicAuth(request.headers.authorization);
      if (presented !== null && credentialsMatch(credentials, presented)) return;
      // A browser's first visit carries no credentials; only a wrong guess is worth a line.
      if (presented !== null) request.log.warn({ ip: request.ip, url: request.url }, 'admin login refused');
      return reply
        .code(401)
        .header('www-authenticate', `Basic realm="${BASIC_REALM}", charset="UTF-8"`)
        .send({ error: 'unauthorized', message: 'HTTP Basic credentials required (ADMIN_USER / ADMIN_PASSWORD)' });
    });
  },
  { name: 'tally-admin-basic-auth' },
);
