import type { SummaryBatchRequest } from '@tally/contracts';
import type { Logger } from '@tally/logger';
import { JOBS, type Job, parseJobPayload, UnrecoverableError } from '@tally/queue';
import {
  type EventSummariesRepository,
  type IngestLedgerRepository,
  isDuplicateKeyError,
  isTransientMongoError,
  keyEntryId,
} from '@tally/store';
import type { MongoClient } from 'mongodb';
import { combineSummaries } from './combine-summaries.js';

export interface ApplySummariesDeps {
  client: MongoClient;
  summaries: EventSummariesRepository;
  ledger: IngestLedgerRepository;
  /** False against a standalone mongod: apply without the ledger (no exactly-once). */
  transactions: boolean;
  /** Called after the transaction committed and before BullMQ hears of it (tests inject crashes here). */
  afterCommit?: (job: Job) => void;
  /** Called each time the driver runs the transaction again (a transient error or unknown commit result). */
  onTransactionRetry?: () => void;
}

/** What a job did; returned to BullMQ as the job's result. */
export type ApplyOutcome =
  | { status: 'applied'; requests: number; replayed: number; summaries: number; upserts: number; ledgerEntries: number }
  | { status: 'already-applied' };

const summaryCount = (requests: SummaryBatchRequest[]) => requests.reduce((n, r) => n + r.summaries.length, 0);

/** Keeps the first request per idempotency key (in the job and in the ledger) and drops repeats. */
function freshRequests(requests: SummaryBatchRequest[], existing: Set<string>) {
  const seen = new Set(existing);
  const fresh: SummaryBatchRequest[] = [];
  const keyIds: string[] = [];
  for (const request of requests) {
    if (request.idempotencyKey !== undefined) {
      const id = keyEntryId(request.workspace, request.idempotencyKey);
      if (seen.has(id)) continue;
      seen.add(id);
      keyIds.push(id);
    }
    fresh.push(request);
  }
  return { fresh, keyIds };
}

/**
 * Applies one micro-batch exactly once: the ledger entry for the job id and its idempotency
 * keys is inserted in the same transaction as the upserts, so a job retried after a crash, or a
 * request repeated by its client, finds itself in the ledger and changes nothing.
 */
export function applySummariesProcessor(deps: ApplySummariesDeps) {
  return async (job: Job, log: Logger): Promise<ApplyOutcome> => {
    const parsed = parseJobPayload(JOBS.applySummaries, job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        `malformed ${JOBS.applySummaries} payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const jobId = String(job.id);
    const requests = parsed.data.requests;
    try {
      if (!deps.transactions) {
        const deltas = combineSummaries(requests);
        await deps.summaries.apply(deltas);
        return {
          status: 'applied',
          requests: requests.length,
          replayed: 0,
          summaries: summaryCount(requests),
          upserts: deltas.length,
          ledgerEntries: 0,
        };
      }
      const session = deps.client.startSession();
      let outcome: ApplyOutcome;
      let runs = 0;
      try {
        outcome = await session.withTransaction(async () => {
          if (runs++ > 0) deps.onTransactionRetry?.();
          if (await deps.ledger.hasJob(jobId, session)) return { status: 'already-applied' } as const;
          const candidates = requests.filter((r) => r.idempotencyKey !== undefined).map((r) => keyEntryId(r.workspace, r.idempotencyKey!));
          const { fresh, keyIds } = freshRequests(requests, await deps.ledger.existing(candidates, session));
          const deltas = combineSummaries(fresh);
          await deps.ledger.record(jobId, keyIds, session);
          await deps.summaries.apply(deltas, session);
          return {
            status: 'applied',
            requests: fresh.length,
            replayed: requests.length - fresh.length,
            summaries: summaryCount(fresh),
            upserts: deltas.length,
            ledgerEntries: 1 + keyIds.length,
          } as const;
        });
      } finally {
        await session.endSession();
      }
      deps.afterCommit?.(job);
      if (outcome.status === 'already-applied') log.info('job already applied (ingest ledger): nothing applied again');
      else if (outcome.replayed > 0) log.info({ replayed: outcome.replayed }, 'repeated Idempotency-Keys skipped');
      return outcome;
    } catch (error) {
      // A duplicate key means another worker committed the same job or key first: the retry
      // will find it in the ledger. Transient faults heal by themselves. Both are retried.
      if (error instanceof UnrecoverableError || isDuplicateKeyError(error) || isTransientMongoError(error)) throw error;
      throw new UnrecoverableError(`cannot apply job: ${(error as Error).message}`);
    }
  };
}
