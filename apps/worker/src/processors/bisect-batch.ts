import type { SummaryBatchRequest } from '@tally/contracts';
import type { Logger } from '@tally/logger';
import { isPermanentMongoError } from '@tally/store';
import { applyChunk } from './apply-chunk.js';
import type { ApplySummariesDeps } from './apply-summaries.deps.js';

/** A request no retry can apply, with what MongoDB said about it. */
export interface PoisonedRequest {
  request: SummaryBatchRequest;
  reason: string;
}

export interface BisectResult {
  requests: number;
  replayed: number;
  summaries: number;
  upserts: number;
  /** Repeats of a key whose body differs from the first one's: the first was kept, these were not applied. */
  mismatched: SummaryBatchRequest[];
  ledgerEntries: number;
  /** True when the whole job had been applied before (a retry of a committed job). */
  alreadyApplied: boolean;
  poisoned: PoisonedRequest[];
}

/**
 * Ledger ids of a job's parts. They name requests, not positions, so they stay the same when
 * the failed job's data is cut down to its poisoned requests and `tally dlq retry` runs it again.
 */
const partId = (jobId: string, part: SummaryBatchRequest[]): string =>
  part.length === 1 ? `${jobId}/${part[0]!.requestId}` : `${jobId}/${part[0]!.requestId}..${part.at(-1)!.requestId}`;

/** A result with nothing applied yet (or, with `alreadyApplied`, nothing to apply). */
export function emptyBisectResult(alreadyApplied: boolean): BisectResult {
  return { requests: 0, replayed: 0, summaries: 0, upserts: 0, ledgerEntries: 0, mismatched: [], alreadyApplied, poisoned: [] };
}

/**
 * Applies a job's requests so that one request the store refuses cannot hold back the others,
 * least of all another workspace's (blast radius of one). The job is tried whole; when MongoDB
 * refuses it with a permanent error, it is marked split in the ledger and its halves are tried,
 * each in its own transaction under its own ledger id, down to single requests. Whatever
 * applies is applied exactly once, also across retries: a split job is never applied whole, and
 * each part finds itself in the ledger. Transient errors are thrown, and the job retried.
 */
export async function applyBisecting(
  deps: ApplySummariesDeps,
  jobId: string,
  requests: SummaryBatchRequest[],
  log: Logger,
): Promise<BisectResult> {
  const result = emptyBisectResult(false);

  const descend = async (ledgerId: string, part: SummaryBatchRequest[]): Promise<void> => {
    if (part.length === 1) {
      // A single request is tried under its own id, also when it is all that is left of a job.
      if (ledgerId !== partId(jobId, part)) await visit(partId(jobId, part), part);
      return;
    }
    const middle = Math.ceil(part.length / 2);
    for (const half of [part.slice(0, middle), part.slice(middle)]) await visit(partId(jobId, half), half);
  };

  const visit = async (ledgerId: string, part: SummaryBatchRequest[]): Promise<void> => {
    let outcome: Awaited<ReturnType<typeof applyChunk>>;
    try {
      outcome = await applyChunk(deps, ledgerId, part);
    } catch (error) {
      if (!isPermanentMongoError(error)) throw error;
      if (part.length === 1) {
        result.poisoned.push({ request: part[0]!, reason: (error as Error).message });
        return;
      }
      // One warning per job, not one per level of the split.
      log[ledgerId === jobId ? 'warn' : 'debug'](
        { ledgerId, requests: part.length, reason: (error as Error).message },
        'batch refused by MongoDB: applying it in halves',
      );
      const state = await deps.ledger.markSplit(ledgerId);
      if (state === 'applied') return; // another worker applied it whole in the meantime
      await descend(ledgerId, part);
      return;
    }
    if (outcome.status === 'split') await descend(ledgerId, part);
    else if (outcome.status === 'already-applied') result.alreadyApplied ||= ledgerId === jobId;
    else {
      result.requests += outcome.requests;
      result.replayed += outcome.replayed;
      result.upserts += outcome.upserts;
      result.mismatched.push(...outcome.mismatched);
      result.summaries += outcome.summaries;
      result.ledgerEntries += outcome.ledgerEntries;
    }
  };

  await visit(jobId, requests);
  return result;
}
