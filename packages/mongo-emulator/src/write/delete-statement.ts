import type { Doc } from '../bson/bson-types.js';
import type { ReadView } from '../engine/read-view.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { matchingRecords, orderMatches } from '../query/find-documents.js';

/**
 * Runs one delete statement (`limit` 1 deletes the first match, 0 all). `done` counts records
 * already deleted by an earlier attempt of the same statement (see withLockRetry).
 */
export function runDeleteStatement(
  engine: StorageEngine,
  db: string,
  collName: string,
  view: ReadView,
  filter: Doc,
  limit: number,
  done: Set<string> = new Set(),
  sort?: Doc,
  variables?: Doc,
): { n: number; deleted: Doc | null } {
  const coll = engine.collection(db, collName);
  if (!coll) return { n: 0, deleted: null };
  let matches = matchingRecords(coll, view, filter, variables);
  if (sort) matches = orderMatches(matches, { sort });
  let deleted: Doc | null = null;
  for (const { rec, doc } of matches) {
    if (limit === 1 && done.size > 0) break;
    if (done.has(rec.key)) continue;
    coll.remove(rec, view);
    done.add(rec.key);
    deleted = doc;
    if (limit === 1) break;
  }
  return { n: done.size, deleted };
}
