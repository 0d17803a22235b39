import type { Clock } from './clock.js';
import { CollectionStore } from './collection-store.js';
import type { ReadView } from './read-view.js';
import { LATEST } from './read-view.js';
import { Transaction } from './transaction.js';

/**
 * All databases and collections, the commit clock and the open transactions. Data lives only in
 * memory. Collections are created implicitly by the first write, as in mongod.
 */
export class StorageEngine implements Clock {
  readonly #databases = new Map<string, Map<string, CollectionStore>>();
  readonly #active = new Set<Transaction>();
  #clock = 0;
  #oldest = Number.POSITIVE_INFINITY;

  next(): number {
    return ++this.#clock;
  }

  /** The latest commit timestamp handed out (0 before any write). */
  latest(): number {
    return this.#clock;
  }

  oldestSnapshot(): number {
    return this.#oldest;
  }

  /** The collection, or null when it does not exist. */
  collection(db: string, name: string): CollectionStore | null {
    return this.#databases.get(db)?.get(name) ?? null;
  }

  /**
   * The collection, created when missing. Returns whether it was created. Created inside a
   * transaction (`view.txn`), it stays out of other clients' catalog until that commits.
   */
  ensureCollection(db: string, name: string, view: ReadView = LATEST): { coll: CollectionStore; created: boolean } {
    let colls = this.#databases.get(db);
    if (!colls) {
      colls = new Map();
      this.#databases.set(db, colls);
    }
    let coll = colls.get(name);
    if (coll) return { coll, created: false };
    coll = new CollectionStore(this, db, name);
    coll.pendingCreator = view.txn;
    colls.set(name, coll);
    return { coll, created: true };
  }

  /** Removes a collection; returns it, or null when there was none. */
  dropCollection(db: string, name: string): CollectionStore | null {
    const colls = this.#databases.get(db);
    const coll = colls?.get(name) ?? null;
    if (colls && coll) {
      colls.delete(name);
      if (colls.size === 0) this.#databases.delete(db);
    }
    return coll;
  }

  /** Removes a database and all its collections. */
  dropDatabase(db: string): void {
    this.#databases.delete(db);
  }

  /** Names of databases that hold at least one collection. */
  databaseNames(): string[] {
    return [...this.#databases.keys()];
  }

  /** Collections of a database, in creation order. */
  collections(db: string): CollectionStore[] {
    return [...(this.#databases.get(db)?.values() ?? [])];
  }

  /** Every collection of every database. */
  allCollections(): CollectionStore[] {
    return [...this.#databases.values()].flatMap((m) => [...m.values()]);
  }

  /** Opens a transaction whose snapshot is everything committed so far. */
  begin(): Transaction {
    const txn = new Transaction(this.#clock);
    this.#active.add(txn);
    this.#oldest = Math.min(this.#oldest, txn.snapshotTs);
    return txn;
  }

  /** Makes all of a transaction's writes visible at one new timestamp. */
  commit(txn: Transaction): void {
    if (txn.state !== 'active') return;
    this.#finish(txn);
    const ts = this.next();
    for (const [coll, recs] of txn.touched) for (const rec of recs) coll.commitRecord(rec, txn, ts);
    this.#settleDdl(txn, true);
    txn.end('committed');
    this.#vacuum();
  }

  /** Undoes all of a transaction's writes. */
  abort(txn: Transaction): void {
    if (txn.state !== 'active') return;
    this.#finish(txn);
    for (const [coll, recs] of txn.touched) for (const rec of recs) coll.abortRecord(rec, txn);
    this.#settleDdl(txn, false);
    txn.end('aborted');
    this.#vacuum();
  }

  /** Open transactions, oldest first. */
  activeTransactions(): Transaction[] {
    return [...this.#active];
  }

  /** Publishes (commit) or undoes (abort) the collections and indexes `txn` created. */
  #settleDdl(txn: Transaction, committed: boolean): void {
    for (const coll of this.allCollections()) {
      for (const [name, creator] of coll.pendingIndexes) {
        if (creator !== txn) continue;
        coll.pendingIndexes.delete(name);
        if (!committed) coll.dropIndex(name);
      }
      if (coll.pendingCreator !== txn) continue;
      coll.pendingCreator = null;
      if (!committed) this.dropCollection(coll.db, coll.name);
    }
  }

  #finish(txn: Transaction): void {
    this.#active.delete(txn);
    let oldest = Number.POSITIVE_INFINITY;
    for (const t of this.#active) oldest = Math.min(oldest, t.snapshotTs);
    this.#oldest = oldest;
  }

  #vacuum(): void {
    for (const coll of this.allCollections()) coll.vacuum();
  }
}
