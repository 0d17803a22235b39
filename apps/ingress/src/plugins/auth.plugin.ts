import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenEntry } from '@tally/config';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Errors } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The workspace the bearer token belongs to; set by the auth plugin. */
    workspace: string;
  }
}

/**
 * Finds the workspace of a token. Every entry is compared (sha256 against sha256, in constant
 * time), so response time says nothing about which token came close.
 */
export function workspaceForToken(tokens: readonly TokenEntry[], token: string): string | null {
  const presented = createHash('sha256').update(token).digest();
  let found: string | null = null;
  for (const entry of decoded(tokens)) {
    if (timingSafeEqual(presented, entry.hash)) found ??= entry.workspace;
  }
  return found;
}

/** Hashes decoded once per token set (the cache swaps in a new array on reload), not per request. */
const decodedSets = new WeakMap<readonly TokenEntry[], { workspace: string; hash: Buffer }[]>();
function decoded(tokens: readonly TokenEntry[]): { workspace: string; hash: Buffer }[] {
  let set = decodedSets.get(tokens);
  if (!set) {
    set = tokens.map((t) => ({ workspace: t.workspace, hash: Buffer.from(t.tokenHash, 'hex') }));
    decodedSets.set(tokens, set);
  }
  return set;
}

/**
 * Where the accepted tokens come from, read on every request. It must answer from memory (the
 * token cache reloads MongoDB's api_tokens in the background), never by asking MongoDB.
 */
export interface TokenLookup {
  entries(): readonly TokenEntry[];
  /**
   * False until the first load from MongoDB has been tried (succeeded or failed): a new replica
   * reports not ready until then, so a rolling deploy does not refuse valid MongoDB tokens.
   */
  settled(): boolean;
}

/**
 * `Authorization: Bearer <token>` → `request.workspace`, or 401 with Intercom's body. Runs on
 * onRequest, before the body is read. Needs no MongoDB: ingestion survives a MongoDB outage.
 */
export const authPlugin = fp<{ tokens: TokenLookup }>(
  async (app: FastifyInstance, { tokens }) => {
    app.decorateRequest('workspace', '');
    app.addHook('onRequest', async (request: FastifyRequest) => {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const workspace = match?.[1] ? workspaceForToken(tokens.entries(), match[1]) : null;
      if (workspace === null) throw Errors.unauthorized();
      request.workspace = workspace;
    });
  },
  { name: 'tally-auth' },
);
