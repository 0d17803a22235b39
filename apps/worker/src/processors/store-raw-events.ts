import type { SummaryBatchRequest } from '@tally/contracts';
import { type RawEvent, type RawEventsRepository, userKey } from '@tally/store';
import type { ClientSession } from 'mongodb';

/** The raw `POST /events` requests of a batch, as events for the event list. */
export function rawEventsOf(requests: readonly SummaryBatchRequest[]): RawEvent[] {
  const events: RawEvent[] = [];
  for (const request of requests) {
    if (request.event === undefined) continue;
    // A raw event is exactly one summary of one occurrence at created_at (see parseDataEventBody).
    for (const s of request.summaries) {
      events.push({
        workspace: request.workspace,
        user_id: userKey({ kind: s.identity ?? 'user_id', value: s.user_id }),
        event_name: s.event_name,
        created_at: new Date(s.first * 1000),
        ...(request.event.metadata === undefined ? {} : { metadata: request.event.metadata }),
      });
    }
  }
  return events;
}

/**
 * Stores a batch's raw events. Called inside the job's transaction with the requests that
 * survived de-duplication, so an event is listed if and only if it was counted; summaries-only
 * batches cost nothing here.
 */
export async function storeRawEvents(repository: RawEventsRepository, requests: readonly SummaryBatchRequest[], session?: ClientSession) {
  return repository.store(rawEventsOf(requests), session);
}
