import type { DocRecord } from './document-record.js';
import type { TxnLike, TxnParticipant } from './read-view.js';

/** Lifecycle of a storage transaction. */
export type TransactionState = 'active' | 'committed' | 'aborted';

/**
 * A multi-document transaction at the storage level: the snapshot it reads, the records it has
 * written (each holds one uncommitted version owned by this transaction) and a promise that
 * settles when it ends, which outside writers blocked on its records wait for.
 */
export class Transaction implements TxnLike {
  state: TransactionState = 'active';
  readonly startedAt = Date.now();
  readonly touched = new Map<TxnParticipant, Set<DocRecord>>();
  readonly finished: Promise<void>;
  #settle!: () => void;

  constructor(
    /** Commit timestamp of the newest version this transaction may read. */
    readonly snapshotTs: number,
  ) {
    this.finished = new Promise<void>((resolve) => {
      this.#settle = resolve;
    });
  }

  /** Remembers that this transaction wrote `rec` in `coll`. */
  touch(coll: TxnParticipant, rec: DocRecord): void {
    let set = this.touched.get(coll);
    if (!set) {
      set = new Set();
      this.touched.set(coll, set);
    }
    set.add(rec);
  }

  /** Marks the end of the transaction and wakes blocked writers. */
  end(state: 'committed' | 'aborted'): void {
    this.state = state;
    this.#settle();
  }
}
