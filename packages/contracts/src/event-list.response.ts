import { z } from 'zod';
import type { EventMetadata } from './event-metadata.schema.js';
import { type EventsQuery, formatCursor } from './events-query.schema.js';

/** A stored raw event as the store returns it, newest first. */
export interface StoredEvent {
  /** The event's de-duplication key; breaks ties between events of the same second. */
  id: string;
  event_name: string;
  created_at: Date;
  /** The metadata exactly as accepted, as JSON. */
  metadata?: string;
}

/** One item of Intercom's `event.list`. The user appears under the name it was sent by. */
export interface DataEventItem {
  type: 'event';
  event_name: string;
  created_at: number;
  user_id?: string;
  email?: string;
  intercom_user_id?: string;
  metadata?: EventMetadata;
}

/** Intercom's `event.list` object, as `GET /events?type=user&…` without `summary=true` returns it. */
export interface EventListResponse {
  type: 'event.list';
  events: DataEventItem[];
  pages: { next?: string; since?: string };
}

/**
 * Builds one page of `event.list` from up to `perPage + 1` stored events (the extra one only
 * says that a next page exists). `pages.next` continues after the last event shown;
 * `pages.since` asks for events newer than the newest shown (Intercom's +1 ms). Both are
 * absolute links that keep the query's identity, `per_page` and `since`.
 */
export function eventListResponse(query: EventsQuery, stored: StoredEvent[], baseUrl: string): EventListResponse {
  const page = stored.slice(0, query.perPage);
  const { kind, value } = query.identity;
  const link = (extra: Record<string, string>) => {
    const params = new URLSearchParams({ type: 'user', [kind]: value, per_page: String(query.perPage), ...extra });
    return `${baseUrl}/events?${params.toString()}`;
  };
  const since: Record<string, string> = query.sinceMs === undefined ? {} : { since: String(query.sinceMs) };
  const last = page.at(-1);
  const newest = page[0];
  const pages: EventListResponse['pages'] = {};
  if (stored.length > query.perPage && last)
    pages.next = link({ ...since, before: formatCursor({ atMs: last.created_at.getTime(), id: last.id }) });
  if (newest) pages.since = link({ since: String(newest.created_at.getTime() + 1) });
  else if (query.sinceMs !== undefined) pages.since = link(since);
  return {
    type: 'event.list',
    events: page.map((e) => ({
      type: 'event',
      event_name: e.event_name,
      created_at: Math.floor(e.created_at.getTime() / 1000),
      [kind]: value,
      ...(e.metadata === undefined ? {} : { metadata: JSON.parse(e.metadata) as EventMetadata }),
    })),
    pages,
  };
}

const userField = (what: string) => z.string().optional().describe(`Set when the user was named by ${what}`);

/** {@link EventListResponse} as a schema, for the route's 200 answer and the OpenAPI document. */
export const eventListResponseSchema = z
  .object({
    type: z.literal('event.list'),
    events: z.array(
      z.object({
        type: z.literal('event'),
        event_name: z.string(),
        created_at: z.number().int().describe('Unix seconds'),
        user_id: userField('user_id'),
        email: userField('email'),
        intercom_user_id: userField('intercom_user_id'),
        metadata: z
          .record(
            z.string(),
            z.union([
              z.string(),
              z.number(),
              z.object({ url: z.string(), value: z.string() }),
              z.object({ amount: z.number().int(), currency: z.string() }),
            ]),
          )
          .optional()
          .describe('As sent, keys in the order sent'),
      }),
    ),
    pages: z.object({
      next: z.string().optional().describe('Link to the next (older) page; absent on the last page'),
      since: z.string().optional().describe('Link that lists only events newer than this page'),
    }),
  })
  .describe(
    "Without summary=true: one page of the user's events of the listing window, newest first",
  ) satisfies z.ZodType<EventListResponse>;
