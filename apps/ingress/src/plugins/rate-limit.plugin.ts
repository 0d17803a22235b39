import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Errors } from '../errors.js';
import type { RateDecision, WindowRateLimiter } from '../rate-limit/window-rate-limiter.js';

export interface RateLimitOptions {
  /** One limit shared by every token of a workspace. */
  perWorkspace?: WindowRateLimiter;
  /** One limit per token (a workspace may hand out several). */
  perToken?: WindowRateLimiter;
  now: () => number;
}

/** Tokens are keyed by a hash, so Redis keys never hold one. */
const tokenId = (request: FastifyRequest) =>
  createHash('sha256')
    .update(/^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1] ?? '')
    .digest('base64url')
    .slice(0, 22);

/**
 * Intercom's rate limit: `X-RateLimit-Limit`, `-Remaining` and `-Reset` on every authenticated
 * answer, and 429 `rate_limit_exceeded` with `Retry-After` past the limit. Registered after auth
 * and on onRequest, so a refused request costs no body parsing. The figures shown are those of
 * the tighter limit.
 */
export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app: FastifyInstance, { perWorkspace, perToken, now }) => {
    app.addHook('onRequest', async (request, reply) => {
      const nowMs = now();
      let shown: RateDecision | undefined;
      for (const [limiter, id] of [
        [perToken, perToken && tokenId(request)],
        [perWorkspace, request.workspace],
      ] as const) {
        if (!limiter || id === undefined) continue;
        const decision = await limiter.take(id, nowMs);
        if (!shown || !decision.allowed || (shown.allowed && decision.remaining < shown.remaining)) shown = decision;
        if (!decision.allowed) break;
      }
      if (!shown) return;
      reply.headers({
        'x-ratelimit-limit': String(shown.limit),
        'x-ratelimit-remaining': String(shown.remaining),
        'x-ratelimit-reset': String(shown.resetAt),
      });
      if (!shown.allowed) throw Errors.rateLimited(shown.limit, Math.max(1, Math.ceil(shown.resetAt - nowMs / 1000)));
    });
  },
  { name: 'tally-rate-limit', dependencies: ['tally-auth'] },
);
