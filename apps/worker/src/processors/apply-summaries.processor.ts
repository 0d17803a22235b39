import type { SummaryBatchRequest } from '@tally/contracts';
import type { Logger } from '@tally/logger';
import { JOBS, type Job, parseJobPayload, UnrecoverableError } from '@tally/queue';
import { isPermanentMongoError } from '@tally/store';
import { type ApplySummariesDeps, DEFAULT_TRANSACTION_MAX_SUMMARIES } from './apply-summaries.deps.js';
import type { PoisonedRequest } from './bisect-batch.js';
import { combineSummaries } from './combine-summaries.js';
import { GroupCommit } from './group-commit.js';
import { storeRawEvents } from './store-raw-events.js';

export type { ApplySummariesDeps } from './apply-summaries.deps.js';

/**
 * What a job did; returned to BullMQ as the job's result. When jobs share a transaction
 * (`transactionJobs` > 1), its writes (`upserts`, `ledgerEntries`) are reported on its first
 * applied job only and are 0 on the others, so sums over jobs count every write once.
 */
export type ApplyOutcome =
  | {
      status: 'applied';
      requests: number;
      replayed: number;
      mismatched: number;
      summaries: number;
      upserts: number;
      ledgerEntries: number;
      transactionJobs: number;
    }
  | { status: 'already-applied' };

const summaryCount = (requests: SummaryBatchRequest[]) => requests.reduce((n, r) => n + r.summaries.length, 0);

const describePoison = (poisoned: PoisonedRequest[], total: number): string =>
  `${poisoned.length} of ${total} requests cannot be applied (the others were): ${poisoned
    .map((p) => `workspace ${p.request.workspace} request ${p.request.requestId}: ${p.reason}`)
    .join('; ')}`;

/**
 * Applies one micro-batch exactly once (see apply-chunk.ts), in a transaction it may share with
 * the other jobs this worker holds (see group-commit.ts), isolating the requests MongoDB
 * refuses for good (see bisect-batch.ts). Those, and only those, stay in the failed set: the
 * job's data is cut down to them, so `tally dlq list` shows their workspaces and request ids and
 * `tally dlq retry` tries exactly them again.
 */
export function applySummariesProcessor(deps: ApplySummariesDeps) {
  const group = new GroupCommit(deps, deps.transactionMaxSummaries ?? DEFAULT_TRANSACTION_MAX_SUMMARIES);
  return async (job: Job, log: Logger): Promise<ApplyOutcome> => {
    const parsed = parseJobPayload(JOBS.applySummaries, job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        `malformed ${JOBS.applySummaries} payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const requests = parsed.data.requests;
    if (!deps.transactions) {
      // Without transactions an unordered bulk write may apply part of a batch before it fails,
      // so splitting would count that part again: the whole job goes to the failed set instead.
      const deltas = combineSummaries(requests);
      try {
        await deps.summaries.apply(deltas);
        await storeRawEvents(deps.rawEvents, requests);
      } catch (error) {
        if (isPermanentMongoError(error)) throw new UnrecoverableError(`cannot apply job: ${(error as Error).message}`);
        throw error;
      }
      return {
        status: 'applied',
        requests: requests.length,
        replayed: 0,
        mismatched: 0,
        summaries: summaryCount(requests),
        upserts: deltas.length,
        ledgerEntries: 0,
        transactionJobs: 1,
      };
    }
    const result = await group.apply({ jobId: String(job.id), requests }, log);
    deps.afterCommit?.(job, result.transactionJobs);
    if (result.poisoned.length > 0) {
      for (const { request, reason } of result.poisoned) {
        log.error({ workspace: request.workspace, requestId: request.requestId, reason }, 'request cannot be applied: in the failed set');
      }
      await job.updateData({ ...parsed.data, requests: result.poisoned.map((p) => p.request) });
      throw new UnrecoverableError(describePoison(result.poisoned, requests.length));
    }
    if (result.alreadyApplied) {
      log.info('job already applied (ingest ledger): nothing applied again');
      return { status: 'already-applied' };
    }
    for (const r of result.mismatched) {
      log.warn(
        { workspace: r.workspace, requestId: r.requestId, idempotencyKey: r.idempotencyKey },
        'Idempotency-Key reused with a different body reached the worker: the first body was kept, this one was not applied',
      );
    }
    if (result.replayed > 0) log.info({ replayed: result.replayed }, 'repeated Idempotency-Keys skipped');
    return {
      status: 'applied',
      requests: result.requests,
      replayed: result.replayed,
      mismatched: result.mismatched.length,
      summaries: result.summaries,
      upserts: result.upserts,
      ledgerEntries: result.ledgerEntries,
      transactionJobs: result.transactionJobs,
    };
  };
}
