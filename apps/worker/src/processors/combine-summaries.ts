import type { SummaryBatchRequest } from '@tally/contracts';
import { type SummaryDelta, type UserKey, userKey } from '@tally/store';

/**
 * Combines every summary of the given requests by (workspace, user, event): counts add, first
 * takes the minimum, last the maximum. A hot key then costs one upsert per job, not one per
 * summary, and the result is the same in any order (invariant 3).
 */
export function combineSummaries(requests: readonly SummaryBatchRequest[]): SummaryDelta[] {
  const byKey = new Map<string, { workspace: string; user_id: UserKey; event_name: string; count: number; first: number; last: number }>();
  for (const request of requests) {
    for (const s of request.summaries) {
      const user = userKey({ kind: s.identity ?? 'user_id', value: s.user_id });
      const key = JSON.stringify([request.workspace, user, s.event_name]);
      const seen = byKey.get(key);
      if (seen) {
        seen.count += s.count;
        seen.first = Math.min(seen.first, s.first);
        seen.last = Math.max(seen.last, s.last);
      } else {
        byKey.set(key, {
          workspace: request.workspace,
          user_id: user,
          event_name: s.event_name,
          count: s.count,
          first: s.first,
          last: s.last,
        });
      }
    }
  }
  return [...byKey.values()].map((d) => ({ ...d, first: new Date(d.first * 1000), last: new Date(d.last * 1000) }));
}
