import { ledgerKeyId, type SummaryBatchRequest } from '@tally/contracts';
import type { Logger } from '@tally/logger';
import { JOBS, type Job, parseJobPayload, UnrecoverableError } from '@tally/queue';
import {
  type EventSummariesRepository,
  type IngestLedgerRepository,
  isDuplicateKeyError,
  isTransientMongoError,
  type LedgerKey,
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
}

/** What a job did; returned to BullMQ as the job's result. */
export type ApplyOutcome =
  | { status: 'applied'; requests: number; replayed: number; mismatched: number; upserts: number }
  | { status: 'already-applied' };

/** The ledger id of a request's idempotency key, in its namespace (client key or raw event). */
const ledgerIdOf = (r: SummaryBatchRequest) =>
  r.idempotencyKey === undefined ? undefined : ledgerKeyId(r.workspace, r.keyKind ?? 'key', r.idempotencyKey);

/**
 * Keeps the first request per idempotency key (in the job and in the ledger) and drops repeats.
 * A repeat whose fingerprint differs from the first one's is a key reused for other data that
 * got past the ingress's reservation (Redis lost it, or an older ingress): the first body wins,
 * and the repeat is returned as `mismatched` so it is counted and logged, never dropped silently.
 */
function freshRequests(requests: SummaryBatchRequest[], existing: Map<string, string | null>) {
  const seen = new Map(existing);
  const fresh: SummaryBatchRequest[] = [];
  const keys: LedgerKey[] = [];
  const mismatched: SummaryBatchRequest[] = [];
  for (const request of requests) {
    const id = ledgerIdOf(request);
    if (id !== undefined) {
      if (seen.has(id)) {
        const first = seen.get(id);
        if (first != null && request.fingerprint !== undefined && first !== request.fingerprint) mismatched.push(request);
        continue;
      }
      seen.set(id, request.fingerprint ?? null);
      keys.push({ id, ...(request.fingerprint !== undefined ? { fingerprint: request.fingerprint } : {}) });
    }
    fresh.push(request);
  }
  return { fresh, keys, mismatched };
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
        return { status: 'applied', requests: requests.length, replayed: 0, mismatched: 0, upserts: deltas.length };
      }
      const session = deps.client.startSession();
      let outcome: ApplyOutcome;
      let mismatched: SummaryBatchRequest[] = [];
      try {
        outcome = await session.withTransaction(async () => {
          if (await deps.ledger.hasJob(jobId, session)) return { status: 'already-applied' } as const;
          const candidates = requests.map(ledgerIdOf).filter((id) => id !== undefined);
          const checked = freshRequests(requests, await deps.ledger.existing(candidates, session));
          mismatched = checked.mismatched;
          const deltas = combineSummaries(checked.fresh);
          await deps.ledger.record(jobId, checked.keys, session);
          await deps.summaries.apply(deltas, session);
          return {
            status: 'applied',
            requests: checked.fresh.length,
            replayed: requests.length - checked.fresh.length,
            mismatched: mismatched.length,
            upserts: deltas.length,
          } as const;
        });
      } finally {
        await session.endSession();
      }
      for (const r of mismatched) {
        log.warn(
          { workspace: r.workspace, requestId: r.requestId, idempotencyKey: r.idempotencyKey },
          'Idempotency-Key reused with a different body reached the worker: the first body was kept, this one was not applied',
        );
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
