import { randomUUID } from 'node:crypto';
import {
  eventListResponseSchema,
  eventSummaryResponse,
  eventSummaryResponseSchema,
  eventsQueryRequestSchema,
  type Identity,
  intercomVersionHeaderSchema,
  type StoredSummary,
} from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Errors } from '../errors.js';
import { UNAVAILABLE } from '../unavailable-reasons.js';
import { type EventsListOptions, eventsListHandler } from './events-list.route.js';
import { errorResponses } from './response-schemas.js';

const schema = {
  summary: "A user's event summaries (summary=true) or events",
  operationId: 'lisDataEvents',
  tags: ['Data Events'],
  headers: z.object({ 'intercom-version': intercomVersionHeaderSchema.optional() }),
  querystring: eventsQueryRequestSchema,
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
  app.withTypeProvider<ZodTypeProvider>().get('/events', { schema }, async (request) => {
    const query = request.query;
    if (!query.summary) return listEvents(request, query);
    let stored: StoredSummary[];
    try {
      stored = await summaries.findByUser(request.workspace, query.identity);
    } catch (err) {
      const errorId = randomUUID();
      request.log.warn({ err, errorId }, 'summary read failed');
      throw Errors.unavailable(`${UNAVAILABLE.storeUnavailable} (reference ${errorId})`, retryAfterSeconds, 'store');
    }
    return eventSummaryResponse(query.identity, stored);
  });
}
