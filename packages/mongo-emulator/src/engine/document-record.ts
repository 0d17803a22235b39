import type { Doc } from '../bson/bson-types.js';

/**
 * One version of a document. `doc === null` is a deletion. A version owned by a transaction is
 * uncommitted and only its owner sees it; committed versions carry their commit timestamp.
 */
export interface Version {
  doc: Doc | null;
  ts: number;
  /** The open transaction that wrote this version, or null once committed. */
  owner: object | null;
  prev: Version | null;
}

/**
 * All versions of the document with one `_id`, newest first. Documents are immutable: every
 * write adds or replaces a version object, so cursors and snapshots can hold references safely.
 */
export interface DocRecord {
  /** Encoded `_id` (see valueKey). */
  readonly key: string;
  head: Version;
}

/** Who is reading: a transaction (or null) and the newest commit timestamp it may see. */
export interface VersionReader {
  txn: object | null;
  snapshotTs: number;
}

/** The version of `rec` that `view` sees, or null when the document does not exist for it. */
export function visibleDoc(rec: DocRecord, view: VersionReader): Doc | null {
  for (let v: Version | null = rec.head; v; v = v.prev) {
    if (v.owner) {
      if (v.owner === view.txn) return v.doc;
      continue;
    }
    if (v.ts <= view.snapshotTs) return v.doc;
  }
  return null;
}

/** Every document still held by a chain of versions (for index clean-up). */
export function versionDocs(from: Version | null): Doc[] {
  const out: Doc[] = [];
  for (let v = from; v; v = v.prev) if (v.doc) out.push(v.doc);
  return out;
}
