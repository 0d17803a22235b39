import type { Queue } from '@tally/queue';
import type { DlqTarget } from './args.js';
import { type DlqOutcome, notFailedReason, reportOutcome, runBatch, targetIds } from './dlq-batch.js';
import type { CommandOutput } from './output.js';
import { Progress } from './progress.js';

/**
 * `tally dlq retry`: moves failed jobs back to the wait list. Safe to run twice and safe for a
 * job that was in fact applied, because the worker's ingest ledger applies a job id at most once.
 *
 * A re-driven job gets a fresh set of attempts: it was dead-lettered after exhausting them
 * (or for a malformed payload, after one), and an operator re-drives once the cause is fixed.
 */
export async function dlqRetry(queue: Queue, target: DlqTarget, output: CommandOutput, options: { json: boolean }): Promise<DlqOutcome> {
  const ids = await targetIds(queue, target);
  if (target.kind === 'all' && ids.length === 0 && !options.json) {
    output.out('no failed jobs to retry');
    return { done: [], problems: [] };
  }
  const outcome = await runBatch(ids, (id) => retryOne(queue, id), new Progress(output, 'retried', ids.length));
  reportOutcome(outcome, 'retried', options.json, output);
  return outcome;
}

async function retryOne(queue: Queue, id: string): Promise<string | null> {
  const job = await queue.getJob(id);
  if (job === undefined) return 'no such job';
  try {
    // BullMQ checks the state inside its retry script: a job re-driven by someone else since the
    // snapshot is refused here, never moved twice.
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return null;
  } catch (error) {
    return (await notFailedReason(queue, id)) ?? (error as Error).message;
  }
}
