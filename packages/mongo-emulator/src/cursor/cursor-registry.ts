import { Long } from 'bson';
import type { Doc } from '../bson/bson-types.js';
import { encodedSize } from '../wire/bson-codec.js';
import { MAX_BSON_OBJECT_SIZE } from '../wire/opcodes.js';

/** Documents of a query not yet returned to the client. */
interface OpenCursor {
  id: number;
  ns: string;
  docs: Doc[];
  pos: number;
  lastUse: number;
}

/** One batch and the cursor id to continue with (0 when exhausted). */
export interface Batch {
  id: Long;
  ns: string;
  docs: Doc[];
}

/** mongod's cursorTimeoutMillis default. */
const CURSOR_TIMEOUT_MS = 10 * 60_000;
/** Room left in a 16 MiB reply for the envelope around the batch. */
const BATCH_BYTES = MAX_BSON_OBJECT_SIZE - 16 * 1024;
/** mongod's default first batch: 101 documents. */
const DEFAULT_FIRST_BATCH = 101;

/**
 * Server-side cursors. Results are materialised when the query runs (a snapshot of immutable
 * documents), then handed out in batches bounded by count and by mongod's 16 MiB reply limit.
 */
export class CursorRegistry {
  readonly #open = new Map<number, OpenCursor>();
  #nextId = 1 + Math.floor(Math.random() * 1_000_000);

  /** Cuts the first batch; keeps the rest under a new cursor id when anything remains. */
  open(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Batch {
    const size = batchSize === undefined || batchSize === 0 ? DEFAULT_FIRST_BATCH : batchSize;
    const cursor: OpenCursor = { id: 0, ns, docs, pos: 0, lastUse: Date.now() };
    const first = this.#cut(cursor, size);
    if (cursor.pos >= docs.length || singleBatch) return { id: Long.ZERO, ns, docs: first };
    cursor.id = this.#nextId++;
    this.#open.set(cursor.id, cursor);
    return { id: Long.fromNumber(cursor.id), ns, docs: first };
  }

  /** The next batch of a cursor, or null when no such cursor exists for this namespace. */
  getMore(id: number, ns: string, batchSize: number | undefined): Batch | null {
    const cursor = this.#open.get(id);
    if (!cursor || cursor.ns !== ns) return null;
    cursor.lastUse = Date.now();
    const docs = this.#cut(cursor, batchSize && batchSize > 0 ? batchSize : Number.POSITIVE_INFINITY);
    if (cursor.pos >= cursor.docs.length) {
      this.#open.delete(id);
      return { id: Long.ZERO, ns, docs };
    }
    return { id: Long.fromNumber(id), ns, docs };
  }

  /** Closes a cursor; returns whether it existed. */
  kill(id: number): boolean {
    return this.#open.delete(id);
  }

  /** Forgets cursors idle longer than mongod's cursor timeout. */
  sweep(now: number): void {
    for (const [id, c] of this.#open) if (now - c.lastUse > CURSOR_TIMEOUT_MS) this.#open.delete(id);
  }

  /** Forgets every cursor over a namespace (drop). */
  killNamespace(ns: string): void {
    for (const [id, c] of this.#open) if (c.ns === ns || c.ns.startsWith(`${ns}.`)) this.#open.delete(id);
  }

  #cut(cursor: OpenCursor, count: number): Doc[] {
    const out: Doc[] = [];
    let bytes = 0;
    while (cursor.pos < cursor.docs.length && out.length < count) {
      const doc = cursor.docs[cursor.pos] as Doc;
      // Sizing every document costs a serialisation pass; small batches skip it.
      if (count > 101 || cursor.docs.length > 101) {
        bytes += encodedSize(doc) + 16;
        if (bytes > BATCH_BYTES && out.length > 0) break;
      }
      out.push(doc);
      cursor.pos++;
    }
    return out;
  }
}

/** A cursor reply in mongod's shape: `{ cursor: { firstBatch|nextBatch, id, ns }, ok: 1 }`. */
export function cursorReply(batch: Batch, field: 'firstBatch' | 'nextBatch'): Doc {
  return { cursor: { [field]: batch.docs, id: batch.id, ns: batch.ns } };
}
