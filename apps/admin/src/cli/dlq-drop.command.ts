import type { Queue } from '@tally/queue';
import type { DlqTarget } from './args.js';
import { type DlqOutcome, notFailedReason, reportOutcome, runBatch } from './dlq-batch.js';
import type { CommandOutput } from './output.js';
import { Progress } from './progress.js';

/** Jobs one clean call removes; each call is one Lua script, so this bounds how long Redis is busy. */
const CLEAN_BATCH = 1000;

/**
 * `tally dlq drop`: deletes failed jobs for good. Only jobs in the failed set are touched: a job
 * id that is waiting or active is refused, so a typo cannot delete live work.
 */
export async function dlqDrop(queue: Queue, target: DlqTarget, output: CommandOutput, options: { json: boolean }): Promise<DlqOutcome> {
  const outcome = target.kind === 'all' ? await dropAll(queue, output) : await dropIds(queue, target.ids, output);
  if (target.kind === 'all' && outcome.done.length === 0 && !options.json) {
    output.out('no failed jobs to drop');
    return outcome;
  }
  reportOutcome(outcome, 'dropped', options.json, output);
  return outcome;
}

async function dropIds(queue: Queue, ids: readonly string[], output: CommandOutput): Promise<DlqOutcome> {
  const dropOne = async (id: string): Promise<string | null> => {
    const refused = await notFailedReason(queue, id);
    if (refused !== null) return refused;
    // Between the state check and the removal a concurrent retry could move the job; an
    // operator dropping and retrying the same id at the same instant is not worth a script.
    return (await queue.remove(id)) === 1 ? null : 'locked by a worker: try again';
  };
  return runBatch(ids, dropOne, new Progress(output, 'dropped', ids.length));
}

/**
 * Removes the failed set as it was when the command started, in Lua batches. Each batch is
 * atomic against concurrent retries (a re-driven job is no longer in the set), and the cut-off
 * keeps jobs that fail while this runs for an operator to look at.
 */
async function dropAll(queue: Queue, output: CommandOutput): Promise<DlqOutcome> {
  const startedAt = Date.now();
  const total = await queue.getFailedCount();
  const progress = new Progress(output, 'dropped', total);
  const done: string[] = [];
  for (;;) {
    const removed = await queue.clean(Math.max(0, Date.now() - startedAt), CLEAN_BATCH, 'failed');
    if (removed.length === 0) break;
    done.push(...removed);
    progress.advance(removed.length);
  }
  return { done, problems: [] };
}
