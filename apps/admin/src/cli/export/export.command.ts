import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EventSummariesRepository, type ExportedSummary, type SummarySelection } from '@tally/store';
import type { Db } from 'mongodb';
import { LiveProgress, type ProgressStream } from '../live-progress.js';
import type { CommandOutput } from '../output.js';
import { fileProblem, formatAge, formatCount } from '../text-format.js';

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

/** At most this many other workspaces are named when the one asked for holds no summaries. */
const OTHER_WORKSPACES_SHOWN = 20;

/** Why an export wrote nothing: most often a mistyped workspace, which an empty file would hide. */
async function nothingExported(repository: EventSummariesRepository, options: ExportOptions): Promise<string> {
  if (await repository.holdsAny(options.workspace)) {
    return options.userId !== undefined || options.since !== undefined
      ? `export: workspace ${options.workspace} holds summaries, but none match --user / --since`
      : `export: every user of workspace ${options.workspace} is named by email or Intercom id, which the import's format (user_id) cannot carry`;
  }
  const others = await repository.workspaces();
  if (others.length === 0) return `export: workspace ${options.workspace} holds no summaries, and neither does any other`;
  const shown = others.slice(0, OTHER_WORKSPACES_SHOWN).join(', ');
  const more = others.length > OTHER_WORKSPACES_SHOWN ? ` and ${formatCount(others.length - OTHER_WORKSPACES_SHOWN)} more` : '';
  return `export: workspace ${options.workspace} holds no summaries; workspaces that do: ${shown}${more}`;
}

/** A closed pipe on stdout (`tally export | head`): the reader has all it wanted. */
const EXIT_READER_GONE = 141;

/**
 * Where the lines go. A file is written under a temporary name beside it and renamed once
 * complete, so an export that fails half-way (MongoDB lost, disk full) never leaves a file that
 * looks whole, and a previous export at that path stays as it was. A path that is not a regular
 * file (a FIFO, /dev/stdout) is written directly.
 */
interface Output {
  sink: Writable;
  /** False when written directly: a failure leaves what was written there. */
  replaced: boolean;
  /** The export is complete: give the file its name. */
  commit(): Promise<void>;
  /** The export failed: leave no partial file behind. */
  discard(): Promise<void>;
}

async function openOutput(out: string | null, stdout: Writable): Promise<Output> {
  const nothing = async () => {};
  if (out === null) return { sink: stdout, replaced: false, commit: nothing, discard: nothing };
  const existing = await stat(out).catch(() => null);
  const direct = existing !== null && !existing.isFile();
  const path = direct ? out : `${out}.${process.pid}.partial`;
  const sink = createWriteStream(path);
  // Fails here (missing directory, no permission) before MongoDB is asked anything.
  await once(sink, 'open');
  return {
    sink,
    replaced: !direct,
    commit: direct ? nothing : () => rename(path, out),
    discard: async () => {
      sink.destroy();
      if (!direct) await rm(path, { force: true });
    },
  };
}

/**
 * Streams a workspace's summaries from MongoDB as NDJSON in the import's format: a cursor read
 * one batch at a time, piped to the output, so memory stays flat for a workspace of any size and
 * a slow pipe slows the cursor rather than filling the heap. Every stored time is a whole second
 * (the API takes seconds), so export → import is exact. Any failure on the way (MongoDB, the
 * output) is one line and exit 1, with no partial file left under `--out`'s name; a reader that
 * closes stdout early ends the export quietly (exit 141, as a process killed by SIGPIPE).
 */
export async function exportCommand(
  db: Db,
  options: ExportOptions,
  io: { output: CommandOutput; stdout: Writable; progressStream: ProgressStream },
): Promise<number> {
  let output: Output;
  try {
    output = await openOutput(options.out, io.stdout);
  } catch (error) {
    io.output.err(`tally: cannot write ${options.out} (${fileProblem(error)})`);
    return 1;
  }
  const repository = new EventSummariesRepository(db);
  const startedAt = Date.now();
  let written = 0;
  let total = 0;
  const rate = (now: number) => Math.round((written / Math.max(now - startedAt, 1)) * 1000);
  const line = (now: number) =>
    `${formatCount(written)} / ${formatCount(total)} summaries (${total === 0 ? 100 : Math.floor((written / total) * 100)}%), ${formatCount(rate(now))}/s`;
  const progress = new LiveProgress(
    io.progressStream,
    { bar: (now) => `export: ${line(now)}`, plain: (now) => `export: ${line(now)}` },
    { intervalMs: options.progressIntervalMs },
  );
  try {
    total = await repository.count(options);
    progress.start();
    const cursor = repository.cursor(options);
    await pipeline(
      async function* lines() {
        for await (const summary of cursor) {
          yield `${exportLine(summary)}\n`;
          written++;
        }
      },
      output.sink,
      // stdout is not the export's to end.
      { end: options.out !== null },
    );
    await output.commit();
  } catch (error) {
    progress.stop();
    await output.discard();
    if (options.out === null && (error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT_READER_GONE;
    const untouched = output.replaced ? `; ${options.out} was not written` : '';
    io.output.err(`export: failed after ${formatCount(written)} summaries (${(error as Error).message})${untouched}`);
    return 1;
  }
  progress.stop();
  if (written === 0) io.output.err(await nothingExported(repository, options));
  io.output.err(
    `export: ${formatCount(written)} summaries of workspace ${options.workspace} written to ${options.out ?? 'stdout'} in ${formatAge(Date.now() - startedAt)}`,
  );
  return 0;
}
