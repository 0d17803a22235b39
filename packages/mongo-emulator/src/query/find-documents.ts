import { Query } from 'mingo';
import type { Doc } from '../bson/bson-types.js';
import type { CollectionStore } from '../engine/collection-store.js';
import type { DocRecord } from '../engine/document-record.js';
import { visibleDoc } from '../engine/document-record.js';
import type { ReadView } from '../engine/read-view.js';
import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { compileFilter } from './filter-matcher.js';
import { QUERY_OPTIONS } from './mingo-options.js';
import { indexedCandidates } from './query-planner.js';
import { compareForSort, NATURAL, parseSort } from './sort-order.js';

/** A matching document together with the record it came from (writers need the record). */
export interface Match {
  rec: DocRecord;
  doc: Doc;
}

/** Options of a find-like read. */
export interface FindOptions {
  sort?: Doc | undefined;
  skip?: number | undefined;
  limit?: number | undefined;
  projection?: Doc | undefined;
  /** The command's `let` variables. */
  variables?: Doc | undefined;
}

/** Every record whose visible version matches `filter`, in natural (insertion) order. */
export function matchingRecords(coll: CollectionStore | null, view: ReadView, filter: Doc | undefined | null, variables?: Doc): Match[] {
  if (!coll) return [];
  const matcher = compileFilter(filter, variables);
  const candidates = indexedCandidates(coll, filter) ?? coll.records.values();
  const out: Match[] = [];
  for (const rec of candidates) {
    const doc = visibleDoc(rec, view);
    if (doc && matcher(doc)) out.push({ rec, doc });
  }
  return out;
}

/** Applies sort, skip and limit to matches (limit 0 means none). */
export function orderMatches(matches: Match[], opts: FindOptions): Match[] {
  let out = matches;
  if (opts.sort && Object.keys(opts.sort).length > 0) {
    if (NATURAL in opts.sort) {
      // Natural order is the scan order (insertion order); -1 reverses it.
      if (opts.sort[NATURAL] === -1) out = [...out].reverse();
    } else {
      const keys = parseSort(opts.sort);
      out = [...out].sort((a, b) => compareForSort(a.doc, b.doc, keys));
    }
  }
  const skip = opts.skip ?? 0;
  if (skip < 0) throw new CommandError(ErrorCode.BadValue, 'skip value must be non-negative');
  const limit = Math.abs(opts.limit ?? 0);
  if (skip > 0 || limit > 0) out = out.slice(skip, limit > 0 ? skip + limit : undefined);
  return out;
}

/** Runs a find: filter, sort, skip, limit and projection. */
export function findDocuments(coll: CollectionStore | null, view: ReadView, filter: Doc | undefined, opts: FindOptions): Doc[] {
  const docs = orderMatches(matchingRecords(coll, view, filter, opts.variables), opts).map((m) => m.doc);
  return project(docs, opts.projection);
}

/** Applies a find projection with mingo (inclusion, exclusion, $slice, $elemMatch, expressions). */
export function project(docs: Doc[], projection: Doc | undefined | null): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  try {
    return new Query({}, QUERY_OPTIONS).find<Doc>(docs, projection).all();
  } catch (err) {
    throw new CommandError(ErrorCode.BadValue, (err as Error).message);
  }
}
