import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MongoConnection } from '@tally/store';
import { COLLECTIONS } from '@tally/store';
import { waitForDrain } from '../load/drain.js';
import type { Stack } from './stack.js';
import { type ExpectedSummary, writeSummaryFile } from './summary-file.js';

/**
 * What the import, export and migrate end-to-end tests share: the size of their import file,
 * their deadline, and how they read what a stack stored. The file is 20,000 lines by default,
 * which keeps each test file near a minute on a shared 2-core machine; the 200,000-line run is
 * `IMPORT_E2E_LINES=200000` (docs/import-export.md has the command and its figures).
 */
export const LINES = Number(process.env.IMPORT_E2E_LINES ?? 20_000);
export const BAD_EVERY = 997;
/** Per test: generous for the default file, scaled for a manual run with a larger one. */
export const TIMEOUT_MS = Math.max(240_000, LINES * 4);

interface StoredDoc {
  _id: string;
  workspace: string;
  user_id: string;
  event_name: string;
  count: number;
  first: Date;
  last: Date;
}

export const stored = (db: MongoConnection, workspace: string) =>
  db.db
    .collection<StoredDoc>(COLLECTIONS.eventSummaries)
    .find({ workspace }, { sort: { user_id: 1, event_name: 1 } })
    .toArray();

/** Stored documents as the import file wrote them, without the workspace that holds them. */
export const asSummaries = (docs: StoredDoc[]) =>
  docs.map((d) => ({
    user_id: d.user_id,
    event_name: d.event_name,
    count: d.count,
    first: d.first.getTime() / 1000,
    last: d.last.getTime() / 1000,
  }));

export const sorted = (summaries: Iterable<ExpectedSummary>) =>
  [...summaries].sort((a, b) => (a.user_id === b.user_id ? cmp(a.event_name, b.event_name) : cmp(a.user_id, b.user_id)));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const drained = (stack: Stack) => waitForDrain(stack.redis.url, stack.env.QUEUE_PREFIX!, { timeoutMs: TIMEOUT_MS / 2 });

/** Summaries accepted so far, from a plain progress line (`import: …, 10,390 accepted, …`); NaN on other lines. */
export const acceptedSoFar = (line: string) => Number(/, ([\d,]+) accepted/.exec(line)?.[1]?.replaceAll(',', '') ?? Number.NaN);

/**
 * The tests' import file in a fresh directory: LINES lines, 50 events per user, a bad line every
 * BAD_EVERY; what must be stored, sorted as `stored` reads it, and the bad lines' numbers.
 */
export async function writeImportFile(): Promise<{ dir: string; file: string; expected: ExpectedSummary[]; badLines: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-import-'));
  const file = join(dir, 'history.ndjson');
  const written = await writeSummaryFile(file, { lines: LINES, eventsPerUser: 50, badEvery: BAD_EVERY });
  return { dir, file, expected: sorted(written.expected.values()), badLines: written.badLines };
}
