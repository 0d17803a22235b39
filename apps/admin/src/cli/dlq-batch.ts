import type { Queue } from '@tally/queue';
import { snapshotFailedIds } from '../queue-views/failed-jobs.js';
import type { DlqTarget } from './args.js';
import type { CommandOutput } from './output.js';
import type { Progress } from './progress.js';
import { countOf, formatCount } from './text-format.js';

/** What a retry or drop did: the ids it handled and, per id, why it could not handle the rest. */
export interface DlqOutcome {
  done: string[];
  problems: { id: string; reason: string }[];
}

/**
 * Jobs handled at once. Their commands share one connection and go out back to back, so a
 * large re-drive runs at Redis's pace without thousands of promises in flight.
 */
export const DLQ_CHUNK_SIZE = 200;

/** The ids a target names: the given ones, or a snapshot of the failed set taken now. */
export async function targetIds(queue: Queue, target: DlqTarget): Promise<string[]> {
  return target.kind === 'ids' ? target.ids : snapshotFailedIds(queue);
}

/**
 * Runs `handle` on every id, {@link DLQ_CHUNK_SIZE} at a time, with progress on stderr.
 * `handle` resolves to null when it handled the job, or to the reason it did not.
 */
export async function runBatch(
  ids: readonly string[],
  handle: (id: string) => Promise<string | null>,
  progress: Progress,
): Promise<DlqOutcome> {
  const outcome: DlqOutcome = { done: [], problems: [] };
  for (let start = 0; start < ids.length; start += DLQ_CHUNK_SIZE) {
    const chunk = ids.slice(start, start + DLQ_CHUNK_SIZE);
    const reasons = await Promise.all(
      chunk.map((id) => handle(id).catch((error: unknown) => (error instanceof Error ? error.message : String(error)))),
    );
    chunk.forEach((id, i) => {
      const reason = reasons[i];
      if (reason === null || reason === undefined) outcome.done.push(id);
      else outcome.problems.push({ id, reason });
    });
    progress.advance(chunk.length);
  }
  return outcome;
}

/**
 * Prints the result: one summary line (or a JSON document) on stdout, and one stderr line per
 * job that could not be handled.
 */
export function reportOutcome(outcome: DlqOutcome, verb: 'retried' | 'dropped', json: boolean, output: CommandOutput): void {
  if (json) {
    output.out(JSON.stringify({ [verb]: outcome.done, problems: outcome.problems }));
    return;
  }
  for (const problem of outcome.problems) output.err(`job ${problem.id}: ${problem.reason}`);
  const jobs = (n: number) => countOf(n, 'failed job');
  const failed = outcome.problems.length > 0 ? `; ${formatCount(outcome.problems.length)} could not be ${verb}` : '';
  output.out(`${verb} ${jobs(outcome.done.length)}${failed}`);
}

/** Why a job that is not in the failed set was left alone. */
export async function notFailedReason(queue: Queue, id: string): Promise<string | null> {
  const state = await queue.getJobState(id);
  if (state === 'failed') return null;
  return state === 'unknown' ? 'no such job' : `is ${state}, not failed: left alone`;
}
