import { ledgerKeyId, type SummaryBatchRequest } from '@tally/contracts';
import type { LedgerKey } from '@tally/store';
import type { ApplySummariesDeps } from './apply-summaries.deps.js';
import { combineSummaries } from './combine-summaries.js';
import { storeRawEvents } from './store-raw-events.js';

/** What applying one chunk (a whole job or part of one) did. */
export type ChunkOutcome =
  | {
      status: 'applied';
      requests: number;
      replayed: number;
      mismatched: SummaryBatchRequest[];
      summaries: number;
      upserts: number;
      ledgerEntries: number;
    }
  | { status: 'already-applied' }
  | { status: 'split' };

/** The ledger id of a request's idempotency key, in its namespace (client key or raw event). */
export const ledgerIdOf = (r: SummaryBatchRequest) =>
  r.idempotencyKey === undefined ? undefined : ledgerKeyId(r.workspace, r.keyKind ?? 'key', r.idempotencyKey);

/**
 * Keeps the first request per idempotency key (in the chunk and in the ledger) and drops repeats.
 * A repeat whose fingerprint differs from the first one's is a key reused for other data that
 * got past the ingress's reservation (Redis lost it, or an older ingress): the first body wins,
 * and the repeat is returned as `mismatched` so it is counted and logged, never dropped silently.
 */
export function freshRequests(requests: SummaryBatchRequest[], existing: Map<string, string | null>) {
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
      const candidates = requests.map(ledgerIdOf).filter((id) => id !== undefined);
      const { fresh, keys, mismatched } = freshRequests(requests, await deps.ledger.existing(candidates, session));
      const deltas = combineSummaries(fresh);
      await deps.ledger.record(ledgerId, keys, session);
      await deps.summaries.apply(deltas, session);
      await storeRawEvents(deps.rawEvents, fresh, session);
      return {
        status: 'applied',
        requests: fresh.length,
        replayed: requests.length - fresh.length,
        mismatched,
        summaries: fresh.reduce((n, r) => n + r.summaries.length, 0),
        upserts: deltas.length,
        ledgerEntries: 1 + keys.length,
      };
    });
  } finally {
    await session.endSession();
  }
}
