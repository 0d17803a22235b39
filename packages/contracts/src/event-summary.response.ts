import { z } from 'zod';

/** A stored summary as the store returns it. */
export interface StoredSummary {
  event_name: string;
  count: number;
  first: Date;
  last: Date;
}

/** Intercom's `event.summary` object, as `GET /events?…&summary=true` returns it. */
export interface EventSummaryResponse {
  type: 'event.summary';
  user_id: string;
  email: null;
  intercom_user_id: null;
  events: { name: string; first: string; last: string; count: number; description: null }[];
}

export function eventSummaryResponse(userId: string, summaries: StoredSummary[]): EventSummaryResponse {
  return {
    type: 'event.summary',
    user_id: userId,
    email: null,
    intercom_user_id: null,
    events: summaries.map((s) => ({
      name: s.event_name,
      first: intercomTime(s.first),
      last: intercomTime(s.last),
      count: s.count,
      description: null,
    })),
  };
}

/** Intercom writes times as `2014-01-16T23:12:21.000+00:00`. */
function intercomTime(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** {@link EventSummaryResponse} as a schema, for route schemas and the OpenAPI document. */
export const eventSummaryResponseSchema = z.object({
  type: z.literal('event.summary'),
  user_id: z.string(),
  email: z.null().describe('Tally does not know emails'),
  intercom_user_id: z.null().describe('Tally does not know Intercom ids'),
  events: z.array(
    z.object({
      name: z.string(),
      first: z.string().describe('2014-01-16T23:12:21.000+00:00'),
      last: z.string().describe('2014-01-16T23:12:21.000+00:00'),
      count: z.number().int(),
      description: z.null(),
    }),
  ),
}) satisfies z.ZodType<EventSummaryResponse>;
