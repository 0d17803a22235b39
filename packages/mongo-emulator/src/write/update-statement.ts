import { ObjectId } from 'bson';
import type { Doc } from '../bson/bson-types.js';
import type { ReadView } from '../engine/read-view.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { matchingRecords, orderMatches } from '../query/find-documents.js';
import { applyUpdate, idFirst } from '../update/apply-update.js';
import type { CompiledUpdate } from '../update/update-spec.js';
import { seedFromFilter } from '../update/upsert-seed.js';
import { checkUpdatedSize } from './insert-document.js';

/** One statement of an update command, already parsed. */
export interface UpdateStatement {
  filter: Doc;
  update: CompiledUpdate;
  upsert: boolean;
  multi: boolean;
  /** Order in which matches are considered (findAndModify). */
  sort?: Doc | undefined;
  /** The command's `let` variables (filter `$expr`, pipeline updates). */
  variables?: Doc | undefined;
}

/** What one statement did (mongod's n / nModified / upserted). */
export interface UpdateResult {
  n: number;
  nModified: number;
  upsertedId?: unknown;
  /** The document after the write (or before, for callers that ask), for findAndModify. */
  before?: Doc | null;
  after?: Doc | null;
}

/**
 * Runs one update statement synchronously. `done` holds the records this statement already
 * updated, so that a statement retried after waiting on a transaction does not update them
 * twice.
 */
export function runUpdateStatement(
  engine: StorageEngine,
  db: string,
  collName: string,
  view: ReadView,
  stmt: UpdateStatement,
  done: Set<string> = new Set(),
): UpdateResult {
  const coll = engine.collection(db, collName);
  let matches = matchingRecords(coll, view, stmt.filter, stmt.variables);
  if (stmt.sort) matches = orderMatches(matches, { sort: stmt.sort });
  if (matches.length === 0 && done.size === 0) {
    if (!stmt.upsert) return { n: 0, nModified: 0, before: null, after: null };
    return upsert(engine, db, collName, view, stmt);
  }
  let n = done.size;
  let nModified = 0;
  let before: Doc | null = null;
  let after: Doc | null = null;
  const now = new Date();
  for (const { rec, doc } of matches) {
    if (done.has(rec.key)) continue;
    const outcome = applyUpdate(stmt.update, doc, false, now, stmt.variables);
    if (outcome.changed) checkUpdatedSize(outcome.doc);
    if (outcome.changed) (coll ?? engine.ensureCollection(db, collName, view).coll).replace(rec, outcome.doc, view);
    done.add(rec.key);
    n++;
    if (outcome.changed) nModified++;
    before = doc;
    after = outcome.doc;
    if (!stmt.multi) break;
  }
  return { n, nModified, before, after };
}

function upsert(engine: StorageEngine, db: string, collName: string, view: ReadView, stmt: UpdateStatement): UpdateResult {
  const seed = seedFromFilter(stmt.filter);
  let start: Doc = seed;
  if (stmt.update.kind !== 'operators') start = seed._id === undefined ? {} : { _id: seed._id };
  else if (seed._id === undefined && !stmt.update.ops.some((u) => u.parts[0] === '_id')) {
    // Generating the _id up front keeps it the first field without rebuilding the document.
    start = Object.assign({ _id: new ObjectId() }, seed);
  }
  let { doc } = applyUpdate(stmt.update, start, true, new Date(), stmt.variables);
  if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  doc = idFirst(doc);
  checkUpdatedSize(doc);
  engine.ensureCollection(db, collName, view).coll.insert(doc, view);
  return { n: 1, nModified: 0, upsertedId: doc._id, before: null, after: doc };
}
