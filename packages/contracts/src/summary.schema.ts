import { z } from 'zod';
import type { IntercomError } from './error-list.js';
import type { Canonical } from './idempotency.js';
import { identityString } from './text-rules.js';
import { zodIssuesToErrors } from './zod-issues.js';

/** Largest `event_summaries` array accepted in one request (documented in the README). */
export const MAX_SUMMARIES_PER_REQUEST = 1000;
/** Bound on `user_id` and `event_name`, in characters. */
export const MAX_NAME_LENGTH = 255;
/** Bound on one summary's `count`: keeps a single typo from poisoning a counter. */
export const MAX_COUNT = 1_000_000_000;
/** Timestamps may run ahead of the server clock by at most a day (client clock skew). */
export const FUTURE_TOLERANCE_SECONDS = 86_400;

/** `user_id` and `event_name`: well-formed Unicode without control characters (text-rules.ts). */
const name = identityString(MAX_NAME_LENGTH);
const unixSeconds = z
  .number({ error: 'must be a Unix timestamp in seconds' })
  .int('must be a whole number of seconds')
  .min(0, 'must not be before 1970');

const summaryItem = z.object({
  event_name: name,
  count: z
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_COUNT, `must be at most ${MAX_COUNT}`)
    .default(1),
  first: unixSeconds.optional(),
  last: unixSeconds.optional(),
});

const singleBody = z.object({ user_id: name, event_summaries: summaryItem });
const batchBody = z.object({
  user_id: name,
  event_summaries: z
    .array(summaryItem)
    .min(1, 'must hold at least one summary')
    .max(MAX_SUMMARIES_PER_REQUEST, `must hold at most ${MAX_SUMMARIES_PER_REQUEST} summaries`),
});

/** Body of `POST /events/summaries`: one summary object or an array of them. */
export const summariesBodySchema = z.union([singleBody, batchBody]);

/** A validated, normalised summary: times are Unix seconds and `first ≤ last`. */
export interface Summary {
  user_id: string;
  event_name: string;
  count: number;
  first: number;
  last: number;
}

export type ParseResult<T, Extra = object> = ({ ok: true; value: T } & Extra) | { ok: false; errors: IntercomError[] };

/**
 * Validates a request body and fills in defaults: a missing `first` or `last` takes the other's
 * value, both missing take the time of receipt. The whole request is rejected on any bad item,
 * so nothing from a half-valid batch is ever queued. `canonical` is the request as validated,
 * before defaults (a retry hours later must fingerprint the same) and in one shape (a single
 * summary reads as a batch of one), with unknown fields dropped.
 */
export function parseSummariesBody(body: unknown, nowSeconds: number): ParseResult<Summary[], { canonical: Canonical }> {
  // Pick the branch by shape rather than through the union, so errors name the exact field.
  const batch = Array.isArray((body as { event_summaries?: unknown } | null)?.event_summaries);
  const parsed = (batch ? batchBody : singleBody).safeParse(body);
  if (!parsed.success) return { ok: false, errors: zodIssuesToErrors(parsed.error.issues, body) };
  const { user_id, event_summaries } = parsed.data;
  const isBatch = Array.isArray(event_summaries);
  const items = isBatch ? event_summaries : [event_summaries];
  const errors: IntercomError[] = [];
  const summaries = items.map((item, index): Summary => {
    const at = isBatch ? `event_summaries[${index}]` : 'event_summaries';
    const first = item.first ?? item.last ?? nowSeconds;
    const last = item.last ?? item.first ?? nowSeconds;
    for (const [key, value] of [
      ['first', first],
      ['last', last],
    ] as const) {
      if (value > nowSeconds + FUTURE_TOLERANCE_SECONDS) {
        errors.push({
          code: 'parameter_invalid',
          field: `${at}.${key}`,
          message: `${at}.${key}: must not be more than a day in the future`,
        });
      }
    }
    if (first > last) {
      errors.push({ code: 'parameter_invalid', field: `${at}.first`, message: `${at}.first: must not be after last` });
    }
    return { user_id, event_name: item.event_name, count: item.count, first, last };
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: summaries, canonical: { user_id, event_summaries: items } };
}
