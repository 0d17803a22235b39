import { errorListSchema } from '@tally/contracts';
import { z } from 'zod';

/** What each refusal status means, as the OpenAPI document describes it. */
const MEANINGS: Record<number, string> = {
  400: 'Invalid body, query or header (the field is named in errors[].field)',
  401: 'Missing or unknown access token',
  413: 'Body larger than BODY_LIMIT_BYTES (after decompression)',
  415: 'Content-Encoding other than gzip, deflate or br',
  422: 'Idempotency-Key reused with a different body',
  429: 'Rate limit exceeded (Retry-After says when to try again)',
  503: 'Not accepted: queue or store unavailable, backlog over its cap, or shutting down (Retry-After)',
};

/** The `error.list` answers of a route, for its `schema.response`. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, errorListSchema.describe(MEANINGS[status] ?? 'Error')]));
}

/**
 * A success answered with an empty body, as Intercom answers it: `void` to the handler (which
 * sends nothing), `type: null` in the document (@fastify/swagger then writes no content).
 */
export const emptyBody = z.void().meta({ type: 'null', description: 'Queued durably in Redis; empty body' });
