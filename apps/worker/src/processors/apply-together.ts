import type { SummaryBatchRequest } from '@tally/contracts';
import type { LedgerKey } from '@tally/store';
import { freshRequests, ledgerIdOf } from './apply-chunk.js';
import type { ApplySummariesDeps } from './apply-summaries.deps.js';
import { combineSummaries } from './combine-summaries.js';
import { storeRawEvents } from './store-raw-events.js';

/** One job offered to a shared transaction. */
export interface JobToApply {
  jobId: string;
  requests: SummaryBatchRequest[];
}

/** What a shared transaction did for one of its jobs. */
export type TogetherOutcome =
  | { status: 'applied'; requests: number; replayed: number; mismatched: SummaryBatchRequest[]; summaries: number }
  | { status: 'already-applied' }
  /** The ledger knows the job as split: only its parts may be applied, on the job's own path. */
  | { status: 'split' };

/** The transaction's writes, over all its jobs. */
export interface TogetherResult {
  outcomes: TogetherOutcome[];
  upserts: number;
  ledgerEntries: number;
}

/**
 * Applies several jobs in ONE transaction: one ledger entry naming every job applied, one per
 * idempotency key, and one upsert per (workspace, user, event) over all of them. Each job keeps
 * the guarantees it has alone: a job the ledger knows contributes nothing, a request whose key
 * is in the ledger (or earlier in this transaction, in job order) is a replay, and a job the
 * ledger knows as split is left to its own path. Either every job's part is committed or none.
 */
export async function applyJobsTogether(deps: ApplySummariesDeps, jobs: JobToApply[]): Promise<TogetherResult> {
  const session = deps.client.startSession();
  let runs = 0;
  try {
    return await session.withTransaction(async (): Promise<TogetherResult> => {
      if (runs++ > 0) deps.onTransactionRetry?.();
      const states = await deps.ledger.jobStates(
        jobs.map((j) => j.jobId),
        session,
      );
      const open = jobs.filter((j) => !states.has(j.jobId));
      const candidates = open.flatMap((j) => j.requests.map(ledgerIdOf).filter((id) => id !== undefined));
      // One map of keys seen for the whole transaction: a key repeated by a later job is a replay,
      // exactly as if the jobs had been applied one after the other.
      const seen = await deps.ledger.existing(candidates, session);
      const recorded: { jobId: string; keys: LedgerKey[] }[] = [];
      const fresh: SummaryBatchRequest[] = [];
      const outcomes = jobs.map((job): TogetherOutcome => {
        const state = states.get(job.jobId);
        if (state !== undefined) return { status: state === 'split' ? 'split' : 'already-applied' };
        const mine = freshRequests(job.requests, seen);
        for (const key of mine.keys) seen.set(key.id, key.fingerprint ?? null);
        recorded.push({ jobId: job.jobId, keys: mine.keys });
        fresh.push(...mine.fresh);
        return {
          status: 'applied',
          requests: mine.fresh.length,
          replayed: job.requests.length - mine.fresh.length,
          mismatched: mine.mismatched,
          summaries: mine.fresh.reduce((n, r) => n + r.summaries.length, 0),
        };
      });
      if (recorded.length === 0) return { outcomes, upserts: 0, ledgerEntries: 0 };
      const deltas = combineSummaries(fresh);
      await deps.ledger.recordTogether(recorded, session);
      await deps.summaries.apply(deltas, session);
      await storeRawEvents(deps.rawEvents, fresh, session);
      const keys = recorded.reduce((n, r) => n + r.keys.length, 0);
      return { outcomes, upserts: deltas.length, ledgerEntries: 1 + keys };
    });
  } finally {
    await session.endSession();
  }
}
