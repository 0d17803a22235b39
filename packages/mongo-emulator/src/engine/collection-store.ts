import { UUID } from 'bson';
import type { Doc } from '../bson/bson-types.js';
import { valueKey } from '../bson/value-key.js';
import type { Clock } from './clock.js';
import type { DocRecord, Version } from './document-record.js';
import { versionDocs, visibleDoc } from './document-record.js';
import type { IndexSpec } from './index-spec.js';
import { ID_INDEX_SPEC } from './index-spec.js';
import type { ReadView, TxnLike, TxnParticipant } from './read-view.js';
import { SecondaryIndex } from './secondary-index.js';
import { duplicateKey, LockWait, writeConflict } from './write-errors.js';

/**
 * The documents of one collection with their versions and indexes. Every method is synchronous:
 * a write either completes or throws before changing anything, so a command can retry or abort
 * cleanly. Conflicts follow mongod: a transaction that meets another open transaction's write,
 * or a write committed after its snapshot, gets WriteConflict; a write outside any transaction
 * that meets an open transaction's write waits for it (LockWait).
 */
export class CollectionStore implements TxnParticipant {
  readonly records = new Map<string, DocRecord>();
  readonly indexes: SecondaryIndex[] = [];
  readonly uuid = new UUID();
  /**
   * DDL inside a transaction: the transaction that created this collection, until it commits
   * (hidden from everyone else's catalog reads; dropped if it aborts), and likewise per index.
   */
  pendingCreator: TxnLike | null = null;
  readonly pendingIndexes = new Map<string, TxnLike>();
  /** Records holding more than one version or a deletion marker, to prune when snapshots close. */
  readonly #multiVersion = new Set<DocRecord>();

  constructor(
    private readonly clock: Clock,
    readonly db: string,
    readonly name: string,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Whether `view` sees this collection in the catalog (listCollections, listDatabases). */
  visibleTo(view: ReadView): boolean {
    return this.pendingCreator === null || this.pendingCreator === view.txn;
  }

  /** The index specs `view` sees, `_id_` first. */
  visibleSpecs(view: ReadView): IndexSpec[] {
    return this.specs().filter((s) => {
      const creator = this.pendingIndexes.get(s.name);
      return creator === undefined || creator === view.txn;
    });
  }

  /** All index specs, `_id_` first. */
  specs(): IndexSpec[] {
    return [ID_INDEX_SPEC, ...this.indexes.map((i) => i.spec)];
  }

  /** The document with this encoded `_id` as `view` sees it. */
  docByKey(key: string, view: ReadView): Doc | null {
    const rec = this.records.get(key);
    return rec ? visibleDoc(rec, view) : null;
  }

  /** Fails (WriteConflict or LockWait) unless `view` may write this record now. */
  checkWritable(rec: DocRecord, view: ReadView): void {
    const head = rec.head;
    if (head.owner !== null && head.owner !== view.txn) this.#conflict(head.owner as TxnLike, view);
    if (head.owner === null && view.txn && head.ts > view.snapshotTs) throw writeConflict();
  }

  /** Inserts a document that already has its `_id`. */
  insert(doc: Doc, view: ReadView): void {
    const key = valueKey(doc._id);
    const rec = this.records.get(key);
    if (rec) {
      this.checkWritable(rec, view);
      if (rec.head.doc) throw duplicateKey(this.ns, '_id_', { _id: 1 }, ['_id'], [doc._id]);
    }
    const keys = this.#keysOf(doc);
    this.#checkUnique(doc, keys, key, view);
    if (rec) this.#write(rec, doc, keys, view);
    else this.#create(key, doc, keys, view);
  }

  /** Replaces the document of `rec` (which `view` must be able to write) with `doc`. */
  replace(rec: DocRecord, doc: Doc, view: ReadView): void {
    this.checkWritable(rec, view);
    const keys = this.#keysOf(doc);
    this.#checkUnique(doc, keys, rec.key, view);
    this.#write(rec, doc, keys, view);
  }

  /** Deletes the document of `rec`. */
  remove(rec: DocRecord, view: ReadView): void {
    this.checkWritable(rec, view);
    this.#write(rec, null, null, view);
  }

  /** Adds an index built over the newest documents; fails with E11000 when unique data clashes. */
  addIndex(spec: IndexSpec): void {
    const index = new SecondaryIndex(spec);
    const seen = new Map<string, string>();
    for (const rec of this.records.values()) {
      for (const doc of versionDocs(rec.head)) {
        for (const entry of index.entriesOf(doc)) {
          if (index.unique && doc === rec.head.doc) {
            const other = seen.get(entry.key);
            if (other !== undefined && other !== rec.key) {
              throw duplicateKey(this.ns, spec.name, spec.key, index.fields, entry.values);
            }
            seen.set(entry.key, rec.key);
          }
          index.add(entry.key, rec.key);
        }
      }
    }
    this.indexes.push(index);
  }

  /** Removes a secondary index by name; returns false when there is none. */
  dropIndex(name: string): boolean {
    const at = this.indexes.findIndex((i) => i.spec.name === name);
    if (at < 0) return false;
    this.indexes.splice(at, 1);
    return true;
  }

  commitRecord(rec: DocRecord, txn: TxnLike, ts: number): void {
    if (rec.head.owner !== txn) return;
    rec.head.owner = null;
    rec.head.ts = ts;
    this.prune(rec);
  }

  abortRecord(rec: DocRecord, txn: TxnLike): void {
    const head = rec.head;
    if (head.owner !== txn) return;
    if (head.prev) {
      rec.head = head.prev;
      this.#dropKeys(rec, head.doc ? [head.doc] : []);
      this.prune(rec);
    } else {
      this.records.delete(rec.key);
      this.#multiVersion.delete(rec);
      this.#dropKeys(rec, head.doc ? [head.doc] : [], true);
    }
  }

  /** Discards versions no open snapshot can read, and index keys only they held. */
  prune(rec: DocRecord): void {
    const threshold = this.clock.oldestSnapshot();
    let keep: Version | null = rec.head;
    while (keep && (keep.owner !== null || keep.ts > threshold)) keep = keep.prev;
    const removed: Doc[] = [];
    if (keep?.prev) {
      removed.push(...versionDocs(keep.prev));
      keep.prev = null;
    }
    const head = rec.head;
    if (head.doc === null && head.owner === null && head.prev === null) {
      // A committed deletion nobody can see past: the record is gone.
      if (this.records.get(rec.key) === rec) this.records.delete(rec.key);
      this.#multiVersion.delete(rec);
      this.#dropKeys(rec, removed, true);
      return;
    }
    if (removed.length > 0) this.#dropKeys(rec, removed);
    if (head.prev !== null || head.doc === null) this.#multiVersion.add(rec);
    else this.#multiVersion.delete(rec);
  }

  /** Prunes every record that had several versions (called when a transaction ends). */
  vacuum(): void {
    for (const rec of [...this.#multiVersion]) this.prune(rec);
  }

  #create(key: string, doc: Doc, keys: string[][], view: ReadView): void {
    const rec: DocRecord = { key, head: { doc, ts: 0, owner: null, prev: null } };
    this.records.set(key, rec);
    this.#addKeys(rec, keys);
    if (view.txn) {
      rec.head.owner = view.txn;
      view.txn.touch(this, rec);
    } else {
      rec.head.ts = this.clock.next();
    }
  }

  #write(rec: DocRecord, doc: Doc | null, keys: string[][] | null, view: ReadView): void {
    if (keys) this.#addKeys(rec, keys);
    const head = rec.head;
    if (view.txn && head.owner === view.txn) {
      // A transaction rewriting its own version: replace it in place.
      const old = head.doc;
      head.doc = doc;
      if (old) this.#dropKeys(rec, [old]);
      return;
    }
    rec.head = { doc, ts: 0, owner: view.txn, prev: head };
    if (view.txn) {
      view.txn.touch(this, rec);
      this.#multiVersion.add(rec);
    } else {
      rec.head.ts = this.clock.next();
      this.prune(rec);
    }
  }

  /** Keys of a document in every secondary index, computed once per write. */
  #keysOf(doc: Doc): string[][] {
    return this.indexes.map((index) => index.keysOf(doc));
  }

  #addKeys(rec: DocRecord, keys: string[][]): void {
    this.indexes.forEach((index, i) => {
      for (const key of keys[i] as string[]) index.add(key, rec.key);
    });
  }

  /** Removes the keys of `gone` docs that no remaining version of the record still has. */
  #dropKeys(rec: DocRecord, gone: Doc[], all = false): void {
    if (gone.length === 0 || this.indexes.length === 0) return;
    const remaining = all ? [] : versionDocs(rec.head);
    for (const index of this.indexes) {
      const live = new Set<string>();
      for (const doc of remaining) for (const k of index.keysOf(doc)) live.add(k);
      for (const doc of gone) for (const k of index.keysOf(doc)) if (!live.has(k)) index.remove(k, rec.key);
    }
  }

  /** Enforces unique secondary indexes for `doc` about to be written to record `key`. */
  #checkUnique(doc: Doc, keys: string[][], key: string, view: ReadView): void {
    for (let i = 0; i < this.indexes.length; i++) {
      const index = this.indexes[i] as SecondaryIndex;
      if (!index.unique) continue;
      for (const entryKey of keys[i] as string[]) {
        for (const holderKey of index.lookup(entryKey)) {
          if (holderKey === key) continue;
          const holder = this.records.get(holderKey);
          if (!holder) continue;
          const head = holder.head;
          if (head.owner !== null && head.owner !== view.txn) this.#conflict(head.owner as TxnLike, view);
          const newerThanSnapshot = head.owner === null && view.txn !== null && head.ts > view.snapshotTs;
          const holds = head.doc !== null && index.keysOf(head.doc).includes(entryKey);
          if (newerThanSnapshot && (holds || head.prev)) throw writeConflict();
          if (holds) {
            const entry = index.entriesOf(doc).find((e) => e.key === entryKey);
            throw duplicateKey(this.ns, index.spec.name, index.spec.key, index.fields, entry?.values ?? []);
          }
        }
      }
    }
  }

  #conflict(owner: TxnLike, view: ReadView): never {
    if (view.txn) throw writeConflict();
    throw new LockWait(owner);
  }
}
