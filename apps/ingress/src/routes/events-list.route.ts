import { randomUUID } from 'node:crypto';
import { type EventListResponse, type EventsQuery, eventListResponse, type Identity, type StoredEvent } from '@tally/contracts';
import type { FastifyRequest } from 'fastify';
import { Errors } from '../errors.js';
import { UNAVAILABLE } from '../unavailable-reasons.js';

/** What the event list needs from the store. */
export interface EventsReader {
  /** Up to `limit` of the user's events, newest first, none older than `notBefore`. */
  list(
    workspace: string,
    identity: Identity,
    page: { notBefore: Date; since?: Date; before?: EventsQuery['before']; limit: number },
  ): Promise<StoredEvent[]>;
}

export interface EventsListOptions {
  events: EventsReader;
  /** The listing window: older events are not listed, as in Intercom (90 days by default). */
  retentionSeconds: number;
  retryAfterSeconds: number;
  now: () => number;
}

/**
 * `GET /events?type=user&…` without `summary=true`: one page of Intercom's `event.list` for the
 * caller's workspace only. The window is applied here too, so an event leaves the list on time
 * whenever the TTL monitor gets to delete it.
 */
export function eventsListHandler({ events, retentionSeconds, retryAfterSeconds, now }: EventsListOptions) {
  return async (request: FastifyRequest, query: EventsQuery): Promise<EventListResponse> => {
    let stored: StoredEvent[];
    try {
      stored = await events.list(request.workspace, query.identity, {
        notBefore: new Date(now() - retentionSeconds * 1000),
        ...(query.sinceMs !== undefined ? { since: new Date(query.sinceMs) } : {}),
        ...(query.before !== undefined ? { before: query.before } : {}),
        // One more than a page: it tells whether pages.next exists.
        limit: query.perPage + 1,
      });
    } catch (err) {
      const errorId = randomUUID();
      request.log.warn({ err, errorId }, 'event list read failed');
      throw Errors.unavailable(`${UNAVAILABLE.storeUnavailable} (reference ${errorId})`, retryAfterSeconds, 'store');
    }
    return eventListResponse(query, stored, `${request.protocol}://${request.host}`);
  };
}
