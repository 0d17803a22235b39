import type { EventSummaryResponse, IntercomError } from '@tally/contracts';
import { type ApiClient, type ApiResponse, NetworkError } from '../http/api-client.js';
import { pause, RETRYABLE_STATUSES, retryDelayMs } from '../http/retry-policy.js';
import { ImportAborted } from '../import/summaries-sender.js';

/** One user's summaries as import lines (times in Unix seconds), or why the source gave none. */
export type SourceUser = { ok: true; lines: string[] } | { ok: false; errors: IntercomError[] };

/** Intercom writes `2014-01-16T23:12:21.000+00:00`; the import takes whole Unix seconds. */
export function unixSeconds(time: string): number | string {
  const ms = Date.parse(time);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : time;
}

/**
 * An Intercom `event.summary` as import lines. A time that does not parse is passed on as it
 * is, so the API rejects that line and names the field, instead of the migration inventing one.
 */
export function summaryLines(userId: string, body: Pick<EventSummaryResponse, 'events'>): string[] {
  return body.events.map((event) =>
    JSON.stringify({
      user_id: userId,
      event_name: event.name,
      count: event.count,
      first: unixSeconds(event.first),
      last: unixSeconds(event.last),
    }),
  );
}

/**
 * Reads users from any server speaking Intercom's `GET /events?type=user&user_id=…&summary=true`
 * (Intercom itself, or another Tally), retrying what the source refuses for now (429, 503, no
 * connection) within the deadline, as the import does on the sending side.
 */
export function sourceReader(
  client: ApiClient,
  options: { retryDeadlineMs: number; onRefusal?: (reason: string) => void; signal?: AbortSignal },
) {
  return async (userId: string): Promise<SourceUser> => {
    const path = `/events?type=user&user_id=${encodeURIComponent(userId)}&summary=true`;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let response: ApiResponse | null = null;
      let problem = '';
      try {
        response = await client.request('GET', path);
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        problem = error.message;
      }
      if (response !== null) {
        if (response.status === 200) return parseSummary(userId, response.body);
        if (response.status === 401 || response.status === 403) {
          throw new ImportAborted(`the source refused the token (${response.status})`, 'check --from-token');
        }
        if (!RETRYABLE_STATUSES.has(response.status)) {
          return {
            ok: false,
            errors: [
              {
                code: `source_${response.status}`,
                message: `the source answered ${response.status} for user ${userId}: ${response.body.slice(0, 200)}`,
              },
            ],
          };
        }
        problem = `HTTP ${response.status}`;
      }
      if (options.signal?.aborted) throw new ImportAborted('interrupted');
      options.onRefusal?.(`the source: ${problem}`);
      const retryAfter = response?.headers['retry-after'];
      const delay = retryDelayMs(attempt, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      if (Date.now() - started + delay > options.retryDeadlineMs) {
        throw new ImportAborted(`the source kept refusing user ${userId} (${attempt} tries, last: ${problem})`);
      }
      await pause(delay, options.signal);
    }
  };
}

function parseSummary(userId: string, body: string): SourceUser {
  try {
    const parsed = JSON.parse(body) as Partial<EventSummaryResponse>;
    if (Array.isArray(parsed.events)) return { ok: true, lines: summaryLines(userId, parsed as EventSummaryResponse) };
  } catch {
    // described below
  }
  return { ok: false, errors: [{ code: 'source_invalid', message: `the source's answer for user ${userId} is not an event.summary` }] };
}
