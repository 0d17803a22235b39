import { z } from 'zod';
import type { IntercomError } from './error-list.js';
import { type Identity, parseIdentity, QUERY_IDENTITY_FIELDS } from './identity.schema.js';
import { requestSchema } from './request-schema.js';
import type { ParseResult } from './summary.schema.js';

/** Events per page of `event.list` when `per_page` is not given (Intercom's documented default). */
export const DEFAULT_PER_PAGE = 50;
/** Largest `per_page` (Intercom's list endpoints' maximum); larger values are refused. */
export const MAX_PER_PAGE = 150;

/**
 * Where a page of `event.list` starts: events strictly older than `atMs`, or, with `id`, at
 * `atMs` with a smaller event id. The id breaks ties between events of the same second, so
 * following `pages.next` visits every event exactly once. Written `before=<ms>[_<id>]`.
 */
export interface EventsCursor {
  atMs: number;
  id?: string;
}

export interface EventsQuery {
  identity: Identity;
  /** `summary=true`: Intercom's `event.summary`; otherwise the `event.list` of individual events. */
  summary: boolean;
  perPage: number;
  before?: EventsCursor;
  /** Only events at or after this time (Unix milliseconds), as in Intercom's `pages.since` link. */
  sinceMs?: number;
}

const BEFORE = /^(\d{1,15})(?:_([A-Za-z0-9_-]{1,64}))?$/;
const MILLIS = /^\d{1,15}$/;

export function formatCursor(cursor: EventsCursor): string {
  return cursor.id === undefined ? String(cursor.atMs) : `${cursor.atMs}_${cursor.id}`;
}

/**
 * Query of `GET /events`: `type=user`, exactly one of `user_id`, `email` or `intercom_user_id`,
 * and either `summary=true` or the list parameters `per_page`, `before` and `since`.
 */
export function parseEventsQuery(query: Record<string, unknown>): ParseResult<EventsQuery> {
  const errors: IntercomError[] = [];
  const { type, summary, per_page: perPage, before, since } = query;
  if (type === undefined) errors.push({ code: 'parameter_not_found', field: 'type', message: 'type is required and must be user' });
  else if (type !== 'user') errors.push({ code: 'parameter_invalid', field: 'type', message: 'type must be user' });
  const identity = parseIdentity(query, QUERY_IDENTITY_FIELDS);
  if (!identity.ok) errors.push(...identity.errors);
  if (summary !== undefined && summary !== 'true' && summary !== 'false') {
    errors.push({ code: 'parameter_invalid', field: 'summary', message: 'summary must be true or false' });
  }
  let size = DEFAULT_PER_PAGE;
  if (perPage !== undefined) {
    size = typeof perPage === 'string' && /^\d{1,4}$/.test(perPage) ? Number(perPage) : Number.NaN;
    if (!(size >= 1 && size <= MAX_PER_PAGE)) {
      errors.push({ code: 'parameter_invalid', field: 'per_page', message: `per_page must be a whole number from 1 to ${MAX_PER_PAGE}` });
    }
  }
  const cursor = typeof before === 'string' ? BEFORE.exec(before) : null;
  if (before !== undefined && cursor === null) {
    errors.push({
      code: 'parameter_invalid',
      field: 'before',
      message: 'before must be a pages.next cursor or a Unix time in milliseconds',
    });
  }
  if (since !== undefined && !(typeof since === 'string' && MILLIS.test(since))) {
    errors.push({ code: 'parameter_invalid', field: 'since', message: 'since must be a Unix time in milliseconds' });
  }
  if (errors.length > 0 || !identity.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      identity: identity.value,
      summary: summary === 'true',
      perPage: size,
      ...(cursor ? { before: { atMs: Number(cursor[1]), ...(cursor[2] !== undefined ? { id: cursor[2] } : {}) } } : {}),
      ...(since !== undefined ? { sinceMs: Number(since) } : {}),
    },
  };
}

/**
 * The query of `GET /events` as the OpenAPI document describes it; the rules and their error
 * messages are those of {@link parseEventsQuery}.
 */
export const eventsQuerySchema = z.object({
  type: z.literal('user').describe('The value must be user'),
  user_id: z.string().min(1).optional().describe('Your identifier for the user (exactly one of user_id, email, intercom_user_id)'),
  email: z.string().min(1).optional().describe("The user's email address, compared case-insensitively"),
  intercom_user_id: z.string().min(1).optional().describe("Intercom's id of the user"),
  summary: z.enum(['true', 'false']).optional().describe('true: event.summary; absent or false: event.list of the last 90 days'),
  per_page: z.string().optional().describe(`Events per page of the list (1–${MAX_PER_PAGE}, default ${DEFAULT_PER_PAGE})`),
  before: z.string().optional().describe('Cursor of pages.next'),
  since: z.string().optional().describe('Only events after this time (Unix milliseconds), as in pages.since'),
});

/** The query of `GET /events` as a route schema: validated by {@link parseEventsQuery}. */
export const eventsQueryRequestSchema = requestSchema(eventsQuerySchema, (query) =>
  parseEventsQuery(typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {}),
);
