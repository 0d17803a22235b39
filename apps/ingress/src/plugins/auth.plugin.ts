import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Errors } from '../errors.js';
import { UNAVAILABLE } from '../unavailable-reasons.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The workspace the bearer token belongs to; set by the auth plugin. */
    workspace: string;
  }
}

/**
 * Where the accepted tokens come from, read on every request. It must answer from memory (the
 * token cache reloads MongoDB's api_tokens in the background), never by asking MongoDB.
 */
export interface TokenLookup {
  /** The workspace of a presented token, or null when the token is not known (yet). */
  workspaceFor(token: string): string | null;
  /**
   * False until the first load from MongoDB has succeeded (unless tokens come from TALLY_TOKENS
   * only): an unknown token then gets 503, not 401, and the replica reports not ready.
   */
  authoritative(): boolean;
}

/**
 * `Authorization: Bearer <token>` → `request.workspace`, or 401 with Intercom's body. Runs on
 * onRequest, before the body is read. Needs no MongoDB: ingestion survives a MongoDB outage.
 * A token not known before the token set is authoritative gets 503 with Retry-After: an SDK
 * retries that, while a 401 would make it drop the events for good.
 */
export const authPlugin = fp<{ tokens: TokenLookup; retryAfterSeconds: number }>(
  async (app: FastifyInstance, { tokens, retryAfterSeconds }) => {
    app.decorateRequest('workspace', '');
    app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const token = match?.[1];
      if (token === undefined) return done(Errors.unauthorized());
      const workspace = tokens.workspaceFor(token);
      if (workspace === null) {
        return done(
          tokens.authoritative() ? Errors.unauthorized() : Errors.unavailable(UNAVAILABLE.tokensLoading, retryAfterSeconds, 'store'),
        );
      }
      request.workspace = workspace;
      done();
    });
  },
  { name: 'tally-auth' },
);
