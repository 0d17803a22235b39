import type { IntercomError } from './error-list.js';
import { MAX_NAME_LENGTH, type ParseResult } from './summary.schema.js';
import { identityTextProblem } from './text-rules.js';

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
  } else {
    // The same rule as the bodies: a user id that could not have been stored is refused, not looked up.
    const problem = userId.length > MAX_NAME_LENGTH ? `must be at most ${MAX_NAME_LENGTH} characters` : identityTextProblem(userId);
    if (problem !== null) errors.push({ code: 'parameter_invalid', field: 'user_id', message: `user_id: ${problem}` });
  }
  if (summary !== 'true') {
    errors.push({ code: 'parameter_invalid', field: 'summary', message: 'Tally keeps event summaries only: pass summary=true' });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { userId: userId as string } };
}
