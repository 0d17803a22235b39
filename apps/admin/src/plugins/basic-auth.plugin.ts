import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { BASIC_REALM, type BasicCredentials, credentialsMatch, parseBasicAuth } from '../auth/basic-credentials.js';
import { LoginThrottle, type LoginThrottleOptions } from '../auth/login-throttle.js';

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
 * the admin belongs behind TLS or on a private network. Wrong guesses are throttled per client
 * IP (login-throttle.ts): a throttled client gets 429 with Retry-After, its credentials unchecked.
 */
export const basicAuthPlugin = fp<{ credentials: BasicCredentials; throttle?: LoginThrottleOptions }>(
  async (app: FastifyInstance, { credentials, throttle: throttleOptions }) => {
    const throttle = new LoginThrottle(throttleOptions);
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.routeOptions.config.public === true) return;
      const presented = parseBasicAuth(request.headers.authorization);
      if (presented !== null) {
        const waitMs = throttle.retryAfterMs(request.ip);
        if (waitMs > 0) {
          return reply
            .code(429)
            .header('retry-after', String(Math.ceil(waitMs / 1000)))
            .send({ error: 'too_many_requests', message: 'Too many failed logins from this address; retry later' });
        }
        if (credentialsMatch(credentials, presented)) {
          throttle.succeeded(request.ip);
          return;
        }
        throttle.failed(request.ip);
        // Only a wrong guess is worth a line (a browser's first visit carries no credentials);
        // info, not warn: anyone who can reach the port can cause it.
        request.log.info({ ip: request.ip, url: request.url }, 'admin login refused');
      }
      return reply
        .code(401)
        .header('www-authenticate', `Basic realm="${BASIC_REALM}", charset="UTF-8"`)
        .send({ error: 'unauthorized', message: 'HTTP Basic credentials required (ADMIN_USER / ADMIN_PASSWORD)' });
    });
  },
  { name: 'tally-admin-basic-auth' },
);
