import { z } from 'zod';
import type { IntercomError } from './error-list.js';
import type { ParseResult } from './summary.schema.js';

export interface EventsQuery {
  userId: string;
}

/**
 * Query of `GET /events`. Tally keeps summaries only, keyed by `user_id`: `type` must be
 * `user`, `summary` must be `true`, and the lookup is by `user_id`.
 */
export function parseEventsQuery(query: Record<string, unknown>): ParseResult<EventsQuery> {
  const errors: IntercomError[] = [];
  const { type, user_id: userId, summary } = query;
  if (type === undefined) errors.push({ code: 'parameter_not_found', field: 'type', message: 'type is required and must be user' });
  else if (type !== 'user') errors.push({ code: 'parameter_invalid', field: 'type', message: 'type must be user' });
  if (typeof userId !== 'string' || userId.length === 0) {
    const other = ['email', 'intercom_user_id'].find((k) => query[k] !== undefined);
    errors.push(
      other
        ? { code: 'parameter_invalid', field: other, message: `Tally identifies users by user_id only; ${other} is not supported` }
        : { code: 'parameter_not_found', field: 'user_id', message: 'user_id is required' },
    );
  }
  if (summary !== 'true') {
    errors.push({ code: 'parameter_invalid', field: 'summary', message: 'Tally keeps event summaries only: pass summary=true' });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { userId: userId as string } };
}

/**
 * The query of `GET /events` as a schema, for route schemas and the OpenAPI document; the
 * rules and their error messages are those of {@link parseEventsQuery}.
 */
export const eventsQuerySchema = z.object({
  type: z.literal('user').describe('The value must be user'),
  user_id: z.string().min(1).describe('Your identifier for the user (email and intercom_user_id are not supported)'),
  summary: z.literal('true').describe('Tally keeps summaries only: must be true'),
});
