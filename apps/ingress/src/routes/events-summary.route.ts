import { randomUUID } from 'node:crypto';
import {
  eventListResponseSchema,
  eventSummaryResponse,
  eventSummaryResponseSchema,
  eventsQuerySchema,
  type Identity,
  intercomVersionSchema,
  parseEventsQuery,
  type StoredSummary,
} from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Errors } from '../errors.js';
import { UNAVAILABLE } from '../unavailable-reasons.js';
import { errorResponses } from './error-responses.js';
import { type EventsListOptions, eventsListHandler } from './events-list.route.js';

const schema = {
  summary: "A user's event summaries (summary=true) or events",
  operationId: 'lisDataEvents',
  tags: ['Data Events'],
  headers: z.object({ 'intercom-version': intercomVersionSchema.optional() }),
  querystring: eventsQuerySchema,
  response: { 200: z.union([eventSummaryResponseSchema, eventListResponseSchema]), ...errorResponses(400, 401, 429, 503) },
};

/** What the route needs from the store. */
export interface SummariesReader {
  findByUser(workspace: string, identity: Identity): Promise<StoredSummary[]>;
}

/**
 * `GET /events?type=user&<user_id|email|intercom_user_id>=…&summary=true`: Intercom's
 * `event.summary` object for the caller's workspace only (invariant 5); without `summary=true`,
 * the `event.list` (events-list.route.ts). A store that cannot answer is a 503, not a 500.
 */
export async function eventsSummaryRoute(
  app: FastifyInstance,
  { summaries, retryAfterSeconds, list }: { summaries: SummariesReader; retryAfterSeconds: number; list: EventsListOptions },
) {
  const listEvents = eventsListHandler(list);
  app.get('/events', { schema }, async (request) => {
    const parsed = parseEventsQuery(request.query as Record<string, unknown>);
    if (!parsed.ok) throw Errors.invalid(parsed.errors);
    if (!parsed.value.summary) return listEvents(request, parsed.value);
    let stored: StoredSummary[];
    try {
      stored = await summaries.findByUser(request.workspace, parsed.value.identity);
    } catch (err) {
      const errorId = randomUUID();
      request.log.warn({ err, errorId }, 'summary read failed');
      throw Errors.unavailable(`${UNAVAILABLE.storeUnavailable} (reference ${errorId})`, retryAfterSeconds, 'store');
    }
    return eventSummaryResponse(parsed.value.identity, stored);
  });
}
