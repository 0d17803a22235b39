import { z } from 'zod';
import type { Canonical } from './idempotency.js';
import { FUTURE_TOLERANCE_SECONDS, MAX_NAME_LENGTH, type ParseResult, type Summary } from './summary.schema.js';
import { identityString, wellFormedString } from './text-rules.js';
import { zodIssuesToErrors } from './zod-issues.js';

const name = identityString(MAX_NAME_LENGTH);

/** What identifies a raw event for Intercom's de-duplication. */
export interface EventIdentity {
  user_id: string;
  event_name: string;
  created_at: number;
}

/**
 * Body of raw `POST /events`. Intercom also accepts `id` or `email` to name the contact; Tally
 * keys its summaries by `user_id`, so it is required here. Metadata is accepted and not kept.
 */
export const dataEventBodySchema = z.object({
  event_name: name,
  created_at: z
    .number({ error: 'must be a Unix timestamp in seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must not be before 1970'),
  user_id: name,
  id: wellFormedString.optional(),
  email: wellFormedString.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Validates a raw event and turns it into a summary of one occurrence at `created_at`.
 * `canonical` is the event's identity (what Intercom de-duplicates on); metadata is not part of it.
 */
export function parseDataEventBody(body: unknown, nowSeconds: number): ParseResult<Summary, { canonical: Canonical & EventIdentity }> {
  const parsed = dataEventBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: zodIssuesToErrors(parsed.error.issues, body) };
  const { event_name, created_at, user_id } = parsed.data;
  if (created_at > nowSeconds + FUTURE_TOLERANCE_SECONDS) {
    return {
      ok: false,
      errors: [{ code: 'parameter_invalid', field: 'created_at', message: 'created_at: must not be more than a day in the future' }],
    };
  }
  return {
    ok: true,
    value: { user_id, event_name, count: 1, first: created_at, last: created_at },
    canonical: { user_id, event_name, created_at },
  };
}
