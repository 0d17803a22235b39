import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { EventSummariesRepository, type ExportedSummary, type SummarySelection } from '@tally/store';
import type { Db } from 'mongodb';
import { LiveProgress, type ProgressStream } from '../live-progress.js';
import type { CommandOutput } from '../output.js';
import { formatAge, formatCount } from '../text-format.js';

/** `tally export`: what the command line decided. */
export interface ExportOptions extends SummarySelection {
  /** A file to write, or null for stdout. */
  out: string | null;
  progressIntervalMs: number;
}

/** An import line: the format `tally import` reads, times in Unix seconds. */
export function exportLine(summary: ExportedSummary): string {
  return JSON.stringify({
    user_id: summary.user_id,
    event_name: summary.event_name,
    count: summary.count,
    first: Math.floor(summary.first.getTime() / 1000),
    last: Math.floor(summary.last.getTime() / 1000),
  });
}

/**
 * Streams a workspace's summaries from MongoDB as NDJSON in the import's format: a cursor read
 * one batch at a time, and a write that waits for the output to drain, so memory stays flat for
 * a workspace of any size and a slow pipe slows the cursor rather than filling the heap. Every
 * stored time is a whole second (the API takes seconds), so export → import is exact.
 */
export async function exportCommand(
  db: Db,
  options: ExportOptions,
  io: { output: CommandOutput; stdout: Writable; progressStream: ProgressStream },
): Promise<number> {
  const repository = new EventSummariesRepository(db);
  const total = await repository.count(options);
  const startedAt = Date.now();
  let written = 0;
  const rate = (now: number) => Math.round((written / Math.max(now - startedAt, 1)) * 1000);
  const line = (now: number) =>
    `${formatCount(written)} / ${formatCount(total)} summaries (${total === 0 ? 100 : Math.floor((written / total) * 100)}%), ${formatCount(rate(now))}/s`;
  const progress = new LiveProgress(
    io.progressStream,
    { bar: (now) => `export: ${line(now)}`, plain: (now) => `export: ${line(now)}` },
    { intervalMs: options.progressIntervalMs },
  );
  const sink = options.out === null ? io.stdout : createWriteStream(options.out);
  progress.start();
  try {
    for await (const summary of repository.cursor(options)) {
      if (!sink.write(`${exportLine(summary)}\n`)) await once(sink, 'drain');
      written++;
    }
    if (sink !== io.stdout) {
      sink.end();
      await once(sink, 'finish');
    }
  } finally {
    progress.stop();
  }
  io.output.err(
    `export: ${formatCount(written)} summaries of workspace ${options.workspace} written to ${options.out ?? 'stdout'} in ${formatAge(Date.now() - startedAt)}`,
  );
  return 0;
}
