import type { SummaryBatchRequest } from '@tally/contracts';
import { keyEntryId } from '@tally/store';
import type { ApplySummariesDeps } from './apply-summaries.deps.js';
import { combineSummaries } from './combine-summaries.js';

/** What applying one chunk (a whole job or part of one) did. */
export type ChunkOutcome =
  | { status: 'applied'; requests: number; replayed: number; summaries: number; upserts: number; ledgerEntries: number }
  | { status: 'already-applied' }
  | { status: 'split' };

/** Keeps the first request per idempotency key (in the chunk and in the ledger) and drops repeats. */
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
 * Applies requests exactly once under one ledger id: the ledger entry for the id and the
 * requests' idempotency keys is inserted in the same transaction as the upserts, so a retry
 * after a crash, or a request repeated by its client, finds itself in the ledger and changes
 * nothing. A chunk the ledger knows as split is not applied here: its parts are.
 */
export async function applyChunk(deps: ApplySummariesDeps, ledgerId: string, requests: SummaryBatchRequest[]): Promise<ChunkOutcome> {
  const session = deps.client.startSession();
  let runs = 0;
  try {
    return await session.withTransaction(async (): Promise<ChunkOutcome> => {
      if (runs++ > 0) deps.onTransactionRetry?.();
      const state = await deps.ledger.jobState(ledgerId, session);
      if (state === 'applied') return { status: 'already-applied' };
      if (state === 'split') return { status: 'split' };
      const candidates = requests.filter((r) => r.idempotencyKey !== undefined).map((r) => keyEntryId(r.workspace, r.idempotencyKey!));
      const { fresh, keyIds } = freshRequests(requests, await deps.ledger.existing(candidates, session));
      const deltas = combineSummaries(fresh);
      await deps.ledger.record(ledgerId, keyIds, session);
      await deps.summaries.apply(deltas, session);
      return {
        status: 'applied',
        requests: fresh.length,
        replayed: requests.length - fresh.length,
        summaries: fresh.reduce((n, r) => n + r.summaries.length, 0),
        upserts: deltas.length,
        ledgerEntries: 1 + keyIds.length,
      };
    });
  } finally {
    await session.endSession();
  }
}
