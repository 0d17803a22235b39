import { getPath } from '../bson/field-path.js';
import { LATEST } from './read-view.js';
import type { StorageEngine } from './storage-engine.js';
import { LockWait } from './write-errors.js';

/**
 * One pass of mongod's TTL monitor: deletes documents whose TTL-indexed date field (or the
 * earliest date in an array field) is older than `expireAfterSeconds`. Documents an open
 * transaction is writing are left for the next pass. Returns how many were deleted.
 */
export function sweepExpired(engine: StorageEngine, now = Date.now()): number {
  let deleted = 0;
  for (const coll of engine.allCollections()) {
    for (const index of coll.indexes) {
      const seconds = index.spec.expireAfterSeconds;
      if (seconds === undefined) continue;
      const field = index.fields[0] as string;
      const cutoff = now - seconds * 1000;
      for (const rec of [...coll.records.values()]) {
        const doc = rec.head.owner ? null : rec.head.doc;
        if (!doc) continue;
        const when = earliestDate(getPath(doc, field));
        if (when === null || when > cutoff) continue;
        try {
          coll.remove(rec, LATEST);
          deleted++;
        } catch (err) {
          if (!(err instanceof LockWait)) throw err;
        }
      }
    }
  }
  return deleted;
}

function earliestDate(v: unknown): number | null {
  if (v instanceof Date) return v.getTime();
  if (!Array.isArray(v)) return null;
  let min: number | null = null;
  for (const item of v) if (item instanceof Date && (min === null || item.getTime() < min)) min = item.getTime();
  return min;
}
