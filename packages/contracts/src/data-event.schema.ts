import { z } from 'zod';
import { type EventMetadata, parseEventMetadata } from './event-metadata.schema.js';
import { BODY_IDENTITY_FIELDS, parseIdentity } from './identity.schema.js';
import { MAX_NAME_LENGTH, type ParseResult, type Summary } from './summary.schema.js';
import { futureTimestampProblem } from './timestamp-rules.js';
import { zodIssuesToErrors } from './zod-issues.js';

const name = z.string().min(1, 'must not be empty').max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);

/**
 * Body of raw `POST /events`, without its identity (`user_id`, `email` or `id`: exactly one,
 * checked by {@link parseIdentity}) and metadata (checked by {@link parseEventMetadata}).
 */
export const dataEventBodySchema = z.object({
  event_name: name,
  created_at: z
    .number({ error: 'must be a Unix timestamp in seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must not be before 1970'),
});

/** A validated raw event: counted as a summary of one occurrence, and listed with its metadata. */
export interface DataEvent {
  summary: Summary;
  metadata?: EventMetadata;
}

/** Validates a raw event and turns it into a summary of one occurrence at `created_at`. */
export function parseDataEventBody(body: unknown, nowSeconds: number): ParseResult<DataEvent> {
  const parsed = dataEventBodySchema.safeParse(body);
  const source = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const identity = parseIdentity(source, BODY_IDENTITY_FIELDS);
  const metadata = parseEventMetadata(source.metadata);
  const errors = [
    ...(parsed.success ? [] : zodIssuesToErrors(parsed.error.issues, body)),
    ...(identity.ok ? [] : identity.errors),
    ...(metadata.ok ? [] : metadata.errors),
  ];
  if (!parsed.success || !identity.ok || !metadata.ok) return { ok: false, errors };
  const { event_name, created_at } = parsed.data;
  const future = futureTimestampProblem('created_at', created_at, nowSeconds);
  if (future !== null) return { ok: false, errors: [future] };
  const { kind, value } = identity.value;
  const summary: Summary = {
    user_id: value,
    ...(kind === 'user_id' ? {} : { identity: kind }),
    event_name,
    count: 1,
    first: created_at,
    last: created_at,
  };
  return { ok: true, value: metadata.value === undefined ? { summary } : { summary, metadata: metadata.value } };
}
