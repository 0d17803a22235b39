import type { RequestOutcome } from './drop-bad-items.js';
import type { ImportCounters } from './import-counters.js';
import type { InputLine } from './line-source.js';
import { type ImportRequest, RequestBatcher, type RequestNamer } from './request-batcher.js';
import { ImportAborted, type RequestSender } from './summaries-sender.js';
import type { ReadLine, RejectedLine } from './summary-line.js';

export interface ImportRunOptions {
  /** The input, a run of lines at a time (a chunk of the file; one user's summaries for migrate). */
  lines: AsyncIterable<readonly InputLine[]>;
  parse: (text: string, line: number) => ReadLine;
  send: RequestSender;
  /** Work on a request that can be done while it waits for a slot (serialising its body). */
  prepare?: (request: ImportRequest) => void;
  /** Requests in flight at once. */
  concurrency: number;
  counters: ImportCounters;
  onRejected: (rejected: RejectedLine) => Promise<void>;
  /** Ctrl-C: stop reading, let what is in flight finish. */
  signal?: AbortSignal;
  batchSize?: number;
  /** Keys by user instead of by the input's running hash (migrate). */
  keys?: RequestNamer;
  /** Called once per request the API has answered for, after the counters took it in. */
  onSettled?: (request: ImportRequest, outcome: RequestOutcome) => void;
}

/**
 * How a run ended: the whole input handled, or stopped (why, and what to change first when
 * running the same command again would stop the same way) — a re-run then resumes.
 */
export type ImportEnd = { complete: true } | { complete: false; reason: string; remedy?: string };

/**
 * Reads the input once, line by line, and keeps at most `concurrency` requests in flight and as
 * many ready behind them: the reader waits when both are full, so memory holds 2 × `concurrency`
 * requests whatever the input size.
 * The first fatal error (token refused, API down past the deadline) stops the reading; the
 * requests already in flight are let finish, so the counters say exactly what was accepted.
 */
export async function runImport(options: ImportRunOptions): Promise<ImportEnd> {
  const { counters } = options;
  const batcher = new RequestBatcher(options.batchSize, options.keys);
  const inFlight = new Set<Promise<void>>();
  let failure: Error | null = null;

  const reject = async (rejected: RejectedLine) => {
    counters.rejected++;
    await options.onRejected(rejected);
  };
  // Requests read but not yet sent: up to `concurrency` of them, so a slot that frees up is
  // filled at once instead of waiting for the reader to parse the next request's lines.
  const ready: ImportRequest[] = [];
  const start = (request: ImportRequest) => {
    const sending: Promise<void> = options
      .send(request)
      .then(async (outcome) => {
        counters.accepted += outcome.accepted;
        counters.alreadyCounted += outcome.replayed ?? 0;
        for (const rejected of outcome.rejected) await reject(rejected);
        options.onSettled?.(request, outcome);
      })
      .catch((error: unknown) => {
        failure ??= error as Error;
      })
      .finally(() => {
        inFlight.delete(sending);
        pump();
      });
    inFlight.add(sending);
  };
  const pump = () => {
    if (failure !== null || options.signal?.aborted) ready.length = 0; // after a fatal error or Ctrl-C nothing more is sent
    while (ready.length > 0 && inFlight.size < options.concurrency) start(ready.shift()!);
  };
  const dispatch = async (request: ImportRequest) => {
    options.prepare?.(request);
    ready.push(request);
    pump();
    while (ready.length >= options.concurrency) await Promise.race(inFlight);
  };

  try {
    reading: for await (const chunk of options.lines) {
      for (const input of chunk) {
        if (failure !== null || options.signal?.aborted) break reading;
        counters.lines++;
        counters.bytes += input.bytes;
        const read: ReadLine =
          input.failure === undefined
            ? options.parse(input.text, input.line)
            : { kind: 'rejected', rejected: { line: input.line, text: input.text, errors: input.failure } };
        if (read.kind === 'rejected') await reject(read.rejected);
        const closed = batcher.add(input.text, read.kind === 'summary' ? read.summary : null);
        if (closed !== null) await dispatch(closed);
      }
    }
    const last = failure === null && !options.signal?.aborted ? batcher.flush() : null;
    if (last !== null) await dispatch(last);
  } catch (error) {
    // The source itself gave up (a migration's source API refused the token): stop like a send would.
    if (!(error instanceof ImportAborted)) throw error;
    failure ??= error;
  } finally {
    while (inFlight.size > 0) await Promise.race(inFlight);
  }
  const stopped = failure as Error | null;
  if (stopped !== null) {
    if (!(stopped instanceof ImportAborted)) throw stopped;
    return stopped.remedy === undefined
      ? { complete: false, reason: stopped.message }
      : { complete: false, reason: stopped.message, remedy: stopped.remedy };
  }
  return options.signal?.aborted ? { complete: false, reason: 'interrupted' } : { complete: true };
}
