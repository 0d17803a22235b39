import { z } from 'zod';
import { MAX_NAME_LENGTH, type ParseResult, type Summary } from './summary.schema.js';
import { futureTimestampProblem } from './timestamp-rules.js';
import { zodIssuesToErrors } from './zod-issues.js';

const name = z.string().min(1, 'must not be empty').max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);

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
  id: z.string().optional(),
  email: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** Validates a raw event and turns it into a summary of one occurrence at `created_at`. */
export function parseDataEventBody(body: unknown, nowSeconds: number): ParseResult<Summary> {
  const parsed = dataEventBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: zodIssuesToErrors(parsed.error.issues, body) };
  const { event_name, created_at, user_id } = parsed.data;
  const future = futureTimestampProblem('created_at', created_at, nowSeconds);
  if (future !== null) return { ok: false, errors: [future] };
  return { ok: true, value: { user_id, event_name, count: 1, first: created_at, last: created_at } };
}
