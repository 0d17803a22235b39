import type { DocRecord } from './document-record.js';

/** A collection a transaction wrote to: it finalises or undoes the transaction's versions. */
export interface TxnParticipant {
  commitRecord(rec: DocRecord, txn: TxnLike, ts: number): void;
  abortRecord(rec: DocRecord, txn: TxnLike): void;
}

/** The part of a transaction that storage needs. */
export interface TxnLike {
  readonly snapshotTs: number;
  /** Settles when the transaction commits or aborts. */
  readonly finished: Promise<void>;
  /** Records that the transaction wrote `rec`, so commit and abort can find it. */
  touch(participant: TxnParticipant, rec: DocRecord): void;
}

/**
 * What a read or write sees: inside a transaction its snapshot and its own writes; outside one
 * the newest committed data (snapshotTs = Infinity).
 */
export interface ReadView {
  txn: TxnLike | null;
  snapshotTs: number;
}

/** The view of an operation outside any transaction. */
export const LATEST: ReadView = Object.freeze({ txn: null, snapshotTs: Number.POSITIVE_INFINITY });

/** The view of an operation inside `txn` (or LATEST when there is none). */
export function viewOf(txn: TxnLike | null): ReadView {
  return txn ? { txn, snapshotTs: txn.snapshotTs } : LATEST;
}
