import type { Doc } from '../bson/bson-types.js';
import type { Transaction } from '../engine/transaction.js';

/** Where a session's current transaction number stands. */
export type TxnPhase = 'none' | 'retryable' | 'active' | 'committed' | 'aborted';

/**
 * Server-side state of one logical session (lsid): its highest transaction number, the open
 * transaction if any, and the reply of its latest retryable write so a retry with the same
 * txnNumber returns that reply instead of writing again.
 */
export class ServerSession {
  lastUse = Date.now();
  txnNumber = -1;
  phase: TxnPhase = 'none';
  txn: Transaction | null = null;
  /** Why the current transaction was aborted by the server (lifetime limit), for the error. */
  abortReason: string | null = null;
  retryReply: Promise<Doc> | null = null;

  constructor(readonly id: string) {}
}
