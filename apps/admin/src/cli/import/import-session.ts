import { ApiClient } from '../http/api-client.js';
import { LiveProgress, type ProgressStream } from '../live-progress.js';
import type { CommandOutput } from '../output.js';
import { countOf, fileProblem, formatAge, formatCount } from '../text-format.js';
import type { RequestOutcome } from './drop-bad-items.js';
import { dryRunSender } from './dry-run.sender.js';
import { countRefusal, type ImportCounters } from './import-counters.js';
import { barLine, plainProgressLine, summariesPerSecond } from './import-progress.js';
import { runImport } from './import-run.js';
import type { InputLine } from './line-source.js';
import { RejectedFile } from './rejected-file.js';
import type { ImportRequest, RequestNamer } from './request-batcher.js';
import { httpSender, prepareBody } from './summaries-sender.js';
import type { ReadLine } from './summary-line.js';

/** What is imported: the lines, how to read them, where rejected lines go; migrate adds the rest. */
export interface ImportSource {
  lines: AsyncIterable<readonly InputLine[]>;
  parse: (text: string, line: number) => ReadLine;
  rejectedPath: string;
  keys?: RequestNamer;
  onSettled?: (request: ImportRequest, outcome: RequestOutcome) => void;
  /** Figures of the caller's own, added to the final report (`--json`) and printed after it. */
  extraReport?: () => { json: Record<string, number | string>; text: string } | null;
}

/** Exit codes of import and migrate: a script can tell "all in" from "some lines refused". */
export const IMPORT_EXIT = { ok: 0, stopped: 1, usage: 2, rejected: 3 } as const;

/** Where and how to send: the options import and migrate share. */
export interface SendOptions {
  /** Base URL of the Tally (or Intercom-compatible) API to import into. */
  url: string;
  token: string;
  concurrency: number;
  dryRun: boolean;
  /** How long one request may keep being refused before the import stops (a re-run resumes). */
  retryDeadlineMs: number;
  /** Seconds between plain progress lines when stderr is not a terminal. */
  progressIntervalMs: number;
  json: boolean;
}

export interface ImportSessionIo {
  output: CommandOutput;
  /** Where progress is drawn (stderr); a terminal gets a bar. */
  progressStream: ProgressStream;
  signal?: AbortSignal;
}

/**
 * Runs one import or migration end to end — progress while it runs, the rejected file, the final
 * report — and returns the exit code. The HTTP client lives exactly as long as the run.
 */
export async function runImportSession(
  verb: string,
  source: ImportSource,
  counters: ImportCounters,
  options: SendOptions,
  io: ImportSessionIo,
): Promise<number> {
  let rejectedFile: RejectedFile;
  try {
    rejectedFile = await RejectedFile.create(source.rejectedPath);
  } catch (error) {
    io.output.err(`tally: cannot write rejected lines to ${source.rejectedPath} (${fileProblem(error)}); see --rejected`);
    return IMPORT_EXIT.stopped;
  }
  const client = options.dryRun ? null : new ApiClient(options.url, options.token, { maxSockets: options.concurrency, timeoutMs: 30_000 });
  const send =
    client === null
      ? dryRunSender()
      : httpSender(client, {
          retryDeadlineMs: options.retryDeadlineMs,
          onRefusal: (reason) => countRefusal(counters, reason),
          ...(io.signal ? { signal: io.signal } : {}),
        });
  const progress = new LiveProgress(
    io.progressStream,
    { bar: (now) => barLine(counters, now), plain: (now) => plainProgressLine(verb, counters, now) },
    { intervalMs: options.progressIntervalMs },
  );
  progress.start();
  let end;
  try {
    end = await runImport({
      lines: source.lines,
      parse: source.parse,
      send,
      ...(client === null ? {} : { prepare: prepareBody }),
      concurrency: options.concurrency,
      counters,
      onRejected: (rejected) => rejectedFile.write(rejected),
      ...(source.keys ? { keys: source.keys } : {}),
      ...(source.onSettled ? { onSettled: source.onSettled } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    });
  } finally {
    progress.stop();
    client?.close();
    await rejectedFile.close();
  }
  const now = Date.now();
  const report = {
    complete: end.complete,
    ...(end.complete ? {} : { stoppedBecause: end.reason }),
    ...(!end.complete && end.remedy !== undefined ? { remedy: end.remedy } : {}),
    dryRun: options.dryRun,
    lines: counters.lines,
    accepted: counters.accepted,
    alreadyCounted: counters.alreadyCounted,
    rejected: counters.rejected,
    refusals: counters.refusals,
    seconds: Math.round((now - counters.startedAt) / 100) / 10,
    summariesPerSecond: Math.round(summariesPerSecond(counters, now)),
    ...(counters.rejected > 0 ? { rejectedFile: rejectedFile.path } : {}),
  };
  const extra = source.extraReport?.() ?? null;
  if (options.json) io.output.out(JSON.stringify({ ...report, ...extra?.json }));
  else {
    const accepted = options.dryRun ? 'would be accepted' : 'accepted';
    // A re-run: what the earlier run had sent was answered from the API's memory of its keys.
    const alreadyCounted =
      report.alreadyCounted > 0 ? ` (${formatCount(report.alreadyCounted)} of them already counted: sent before under the same keys)` : '';
    io.output.out(
      `${verb}${options.dryRun ? ' (dry run, nothing sent)' : ''}: ${end.complete ? 'done' : `stopped (${end.reason})`} in ${formatAge(now - counters.startedAt)} — ` +
        `${countOf(report.lines, 'line')} read, ${countOf(report.accepted, 'summary', 'summaries')} ${accepted}${alreadyCounted}, ${formatCount(report.rejected)} rejected, ` +
        `${formatCount(report.summariesPerSecond)} summaries/s, ${countOf(report.refusals, 'refusal')} retried`,
    );
    if (extra !== null) io.output.out(extra.text);
    if (counters.rejected > 0) io.output.out(`rejected lines, with the API's errors: ${rejectedFile.path}`);
    if (!end.complete) {
      const resume = end.remedy === undefined ? 'run the same command again' : `${end.remedy}, then run the command again`;
      io.output.out(`${resume} to resume: what was accepted is not counted twice`);
    }
  }
  if (!end.complete) return IMPORT_EXIT.stopped;
  return counters.rejected > 0 ? IMPORT_EXIT.rejected : IMPORT_EXIT.ok;
}
