import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** A summary an import file holds, by the key it is stored under. */
export interface ExpectedSummary {
  user_id: string;
  event_name: string;
  count: number;
  first: number;
  last: number;
}

/** Every `badEvery`-th line is bad, in one of these ways the API must refuse. */
const BAD_LINES: ((n: number) => string)[] = [
  (n) => `{"user_id":"u-${n}","event_name":`, // not JSON
  (n) => JSON.stringify({ user_id: `bad-${n}`, event_name: 'e', count: 0, first: 10, last: 10 }),
  (n) => JSON.stringify({ user_id: `bad-${n}`, event_name: 'e', count: 1, first: 20, last: 10 }),
  (n) => JSON.stringify({ user_id: `bad-${n}`, count: 1, first: 10, last: 10 }),
  (n) => JSON.stringify({ user_id: `bad-${n}`, event_name: 'e', count: 'two', first: 10, last: 10 }),
];

/**
 * Writes an NDJSON import file of `lines` lines: users of `eventsPerUser` consecutive events,
 * with every `badEvery`-th line replaced by a bad one (which joins the current user's run, as a
 * real file's mistakes would). Returns what must be stored and which lines must be rejected.
 */
export async function writeSummaryFile(
  path: string,
  options: { lines: number; eventsPerUser: number; badEvery: number; userPrefix?: string },
): Promise<{ expected: Map<string, ExpectedSummary>; badLines: number[] }> {
  const out = createWriteStream(path);
  const expected = new Map<string, ExpectedSummary>();
  const badLines: number[] = [];
  for (let n = 1; n <= options.lines; n++) {
    let text: string;
    if (n % options.badEvery === 0) {
      badLines.push(n);
      text = BAD_LINES[(n / options.badEvery) % BAD_LINES.length]!(n);
    } else {
      const user = Math.floor((n - 1) / options.eventsPerUser);
      const summary = {
        user_id: `${options.userPrefix ?? ''}user-${user}`,
        event_name: `event-${(n - 1) % options.eventsPerUser}`,
        count: 1 + (n % 7),
        first: 1_600_000_000 + n,
        last: 1_600_000_000 + n + (n % 3600),
      };
      expected.set(`${summary.user_id}\u0000${summary.event_name}`, summary);
      text = JSON.stringify(summary);
    }
    if (!out.write(`${text}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { expected, badLines };
}
