import { z } from 'zod';
import { type EventMetadata, parseEventMetadata } from './event-metadata.schema.js';
import type { Canonical } from './idempotency.js';
import { BODY_IDENTITY_FIELDS, type Identity, parseIdentity } from './identity.schema.js';
import { requestSchema } from './request-schema.js';
import { MAX_NAME_LENGTH, type ParseResult, type Summary } from './summary.schema.js';
import { identityString } from './text-rules.js';
import { futureTimestampProblem } from './timestamp-rules.js';
import { zodIssuesToErrors } from './zod-issues.js';

const name = identityString(MAX_NAME_LENGTH);

/**
 * What identifies a raw event for Intercom's de-duplication. The user is the identity as
 * sent: a `user_id` as its plain string (the keys written before other identities existed stay
 * valid), an email or Intercom id as `[kind, value]`, so no user_id can collide with them.
 */
export interface EventIdentity {
  user: string | readonly [string, string];
  event_name: string;
  created_at: number;
}

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

/**
 * The whole body as a schema, for the route schema and the OpenAPI document; the rules and
 * their messages are those of {@link parseDataEventBody}.
 */
export const dataEventDocumentSchema = dataEventBodySchema.extend({
  user_id: z.string().optional().describe('Your identifier for the user (exactly one of user_id, email, id)'),
  email: z.string().optional().describe("The user's email address"),
  id: z.string().optional().describe("Intercom's id of the user"),
  metadata: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('At most 10 flat keys: strings, numbers, *_date, rich links, monetary amounts'),
});

/**
 * The body of `POST /events` as a route schema: validated by {@link parseDataEventBody} against
 * the clock, read by the handler as the event and its identity.
 */
export function dataEventRequestSchema(nowSeconds: () => number) {
  return requestSchema(dataEventDocumentSchema, (body) => {
    const parsed = parseDataEventBody(body, nowSeconds());
    return parsed.ok ? { ok: true, value: { event: parsed.value, canonical: parsed.canonical } } : parsed;
  });
}

/** A validated raw event: counted as a summary of one occurrence, and listed with its metadata. */
export interface DataEvent {
  summary: Summary;
  metadata?: EventMetadata;
}

function eventUser({ kind, value }: Identity): EventIdentity['user'] {
  return kind === 'user_id' ? value : [kind, value];
}

/**
 * Validates a raw event and turns it into a summary of one occurrence at `created_at`.
 * `canonical` is the event's identity (what Intercom de-duplicates on); metadata is not part of it.
 */
export function parseDataEventBody(body: unknown, nowSeconds: number): ParseResult<DataEvent, { canonical: Canonical & EventIdentity }> {
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
  return {
    ok: true,
    value: metadata.value === undefined ? { summary } : { summary, metadata: metadata.value },
    canonical: { user: eventUser(identity.value), event_name, created_at },
  };
}
