import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Secure headers on every admin answer (@fastify/helmet). Framing is refused outright
 * (`X-Frame-Options: DENY`, CSP `frame-ancestors 'none'`): a page elsewhere could otherwise frame
 * the board under a logged-in operator's cached credentials and trick clicks onto "retry" or
 * "clean", which the same-origin guard cannot see (a click in the frame is same-origin). The
 * policy fits Bull Board's UI: its scripts, styles and images are served from here; it needs
 * inline styles; it loads nothing from elsewhere (its Google Fonts link is removed, see
 * bull-board.plugin.ts).
 */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // No upgrade-insecure-requests: the admin is served over plain HTTP on loopback by
          // default, where upgrading its own assets to https would break the page.
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });
  },
  { name: 'tally-admin-security-headers' },
);
