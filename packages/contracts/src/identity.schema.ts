import type { IntercomError } from './error-list.js';
import { MAX_NAME_LENGTH, type ParseResult } from './summary.schema.js';
import { identityTextProblem } from './text-rules.js';

/**
 * How an event names its user, as Intercom's Data Events API does: your `user_id`, the user's
 * `email`, or Intercom's own contact id (`id` in a `POST /events` body, `intercom_user_id` in a
 * `GET /events` query and in responses).
 */
export type IdentityKind = 'user_id' | 'email' | 'intercom_user_id';

/** One user as Tally keys it: summaries and events are kept per identity exactly as sent. */
export interface Identity {
  kind: IdentityKind;
  value: string;
}

/** The identity fields of a `POST /events` body and of a `GET /events` query, in Intercom's names. */
export const BODY_IDENTITY_FIELDS = { user_id: 'user_id', email: 'email', id: 'intercom_user_id' } as const;
export const QUERY_IDENTITY_FIELDS = { user_id: 'user_id', email: 'email', intercom_user_id: 'intercom_user_id' } as const;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Emails are compared as Intercom compares them: case-insensitively, ignoring whitespace around
 * the address. The stored (and returned) form is trimmed and lower-cased, so `Ann@Example.COM `
 * and `ann@example.com` are one user.
 */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/**
 * Picks the one identity among `fields` (Intercom field name → kind) present in `source`. None
 * is `parameter_not_found` on the first field; two or more name every field after the first,
 * since Tally has no contact store to tell whether they are the same person.
 */
export function parseIdentity(source: Record<string, unknown>, fields: Record<string, IdentityKind>): ParseResult<Identity> {
  const names = Object.keys(fields);
  const given = names.filter((name) => source[name] !== undefined);
  const list = `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  if (given.length === 0) {
    return { ok: false, errors: [{ code: 'parameter_not_found', field: names[0]!, message: `one of ${list} is required` }] };
  }
  if (given.length > 1) {
    return {
      ok: false,
      errors: given.slice(1).map((field) => ({
        code: 'parameter_invalid',
        field,
        message: `${field}: give exactly one of ${list} (got ${given.join(' and ')}); Tally keeps each identity as a separate user`,
      })),
    };
  }
  const field = given[0]!;
  const kind = fields[field]!;
  const raw = source[field];
  const invalid = (why: string): ParseResult<Identity> => ({
    ok: false,
    errors: [{ code: 'parameter_invalid', field, message: `${field}: ${why}` } satisfies IntercomError],
  });
  if (typeof raw !== 'string') return invalid('must be a string');
  const value = kind === 'email' ? normalizeEmail(raw) : raw;
  if (value.length === 0) return invalid('must not be empty');
  // What the store cannot hold exactly is refused at the door (see text-rules.ts).
  const problem = identityTextProblem(value);
  if (problem !== null) return invalid(problem);
  if (value.length > MAX_NAME_LENGTH) return invalid(`must be at most ${MAX_NAME_LENGTH} characters`);
  if (kind === 'email' && !EMAIL.test(value)) return invalid('must be an email address');
  return { ok: true, value: { kind, value } };
}
