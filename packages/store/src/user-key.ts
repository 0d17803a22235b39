import type { Identity } from '@tally/contracts';

/**
 * How a user is keyed in the `user_id` field of `event_summaries` and `raw_events`: a plain
 * string for a `user_id` (so every document written before other identities existed still
 * reads as before, with no migration), a one-field object for an email or an Intercom id.
 * MongoDB compares values of different BSON types as unequal, so user_id "a@b.c" and email
 * "a@b.c" are two users, and the existing unique index on (workspace, user_id, event_name)
 * keeps holding for every kind.
 */
export type UserKey = string | { email: string } | { intercom_user_id: string };

export function userKey(identity: Identity): UserKey {
  switch (identity.kind) {
    case 'user_id':
      return identity.value;
    case 'email':
      return { email: identity.value };
    case 'intercom_user_id':
      return { intercom_user_id: identity.value };
  }
}
