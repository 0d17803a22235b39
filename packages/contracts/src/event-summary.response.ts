import { z } from 'zod';
import type { Identity } from './identity.schema.js';

/** A stored summary as the store returns it. */
export interface StoredSummary {
  event_name: string;
  count: number;
  first: Date;
  last: Date;
}

/** The identity fields of Intercom's responses: the one the user is known by, the others null. */
export interface IdentityFields {
  user_id: string | null;
  email: string | null;
  intercom_user_id: string | null;
}

/** Intercom's `event.summary` object, as `GET /events?…&summary=true` returns it. */
export interface EventSummaryResponse extends IdentityFields {
  type: 'event.summary';
  events: { name: string; first: string; last: string; count: number; description: null }[];
}

export function identityFields(identity: Identity): IdentityFields {
  return { user_id: null, email: null, intercom_user_id: null, [identity.kind]: identity.value };
}

export function eventSummaryResponse(identity: Identity, summaries: StoredSummary[]): EventSummaryResponse {
  return {
    type: 'event.summary',
    ...identityFields(identity),
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
export const eventSummaryResponseSchema = z
  .object({
    type: z.literal('event.summary'),
    user_id: z.string().nullable().describe('The identity the user was named by is set; the other two are null'),
    email: z.string().nullable(),
    intercom_user_id: z.string().nullable(),
    events: z.array(
      z.object({
        name: z.string(),
        first: z.string().describe('2014-01-16T23:12:21.000+00:00'),
        last: z.string().describe('2014-01-16T23:12:21.000+00:00'),
        count: z.number().int(),
        description: z.null(),
      }),
    ),
  })
  .describe('With summary=true: per event name, how many times and when first and last') satisfies z.ZodType<EventSummaryResponse>;
