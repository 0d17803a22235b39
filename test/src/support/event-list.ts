import type { DataEventItem } from '@tally/contracts';
import type { IntercomClient } from 'intercom-client';

/** Intercom's `event.list` as the SDK hands it back (its types only know `event.summary`). */
export interface EventList {
  type: 'event.list';
  events: DataEventItem[];
  pages: { next?: string; since?: string };
}

type Identity = { user_id: string } | { email: string } | { intercom_user_id: string };

/** One page of `client.events.list()` without `summary`: Intercom's event list. */
export async function listEvents(intercom: IntercomClient, identity: Identity, extra: { per_page?: number } = {}): Promise<EventList> {
  return (await intercom.events.list({ type: 'user', ...identity, ...extra })) as unknown as EventList;
}

/**
 * Follows a `pages.next` or `pages.since` link with the SDK, as a client would: the link's
 * identity and `per_page` become the SDK's own parameters and the cursor (`before`, `since`),
 * which `events.list` has no named parameter for, rides in `queryParams`.
 */
export async function followLink(intercom: IntercomClient, link: string): Promise<EventList> {
  const params = new URL(link).searchParams;
  const request: Record<string, string | number> = { type: params.get('type') ?? 'user' };
  const queryParams: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key === 'per_page') request.per_page = Number(value);
    else if (key === 'user_id' || key === 'email' || key === 'intercom_user_id') request[key] = value;
    else if (key !== 'type') queryParams[key] = value;
  }
  return (await intercom.events.list(request as never, { queryParams })) as unknown as EventList;
}
