import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { valueKey } from '../bson/value-key.js';
import type { CollectionStore } from '../engine/collection-store.js';
import type { DocRecord } from '../engine/document-record.js';
import type { SecondaryIndex } from '../engine/secondary-index.js';

/**
 * Picks the records a filter can match without scanning: `_id` equality (or `$in`) goes straight
 * to the record map, equality on every field of a secondary index (unique first) goes through
 * that index. Returns null when only a collection scan will do. Candidates are a superset:
 * callers always re-check the filter against the version they can see.
 */
export function indexedCandidates(coll: CollectionStore, filter: Doc | undefined | null): DocRecord[] | null {
  if (!filter) return null;
  const eq = equalities(filter);
  if (eq.size === 0) return null;
  const ids = eq.get('_id');
  if (ids) return recordsFor(coll, ids.map(valueKey));
  let best: { index: SecondaryIndex; tuples: unknown[][]; score: number } | null = null;
  for (const index of coll.indexes) {
    if (index.spec.partialFilterExpression) continue;
    const perField = index.fields.map((f) => eq.get(f));
    if (perField.some((vs) => !vs || (index.spec.sparse && vs.some((v) => v === null)))) continue;
    const tuples = cartesian(perField as unknown[][]);
    if (tuples.length > 1000) continue;
    const score = (index.unique ? 1000 : 0) + index.fields.length;
    if (!best || score > best.score) best = { index, tuples, score };
  }
  if (!best) return null;
  const recKeys = new Set<string>();
  for (const t of best.tuples) for (const r of best.index.lookup(best.index.keyFor(t))) recKeys.add(r);
  return recordsFor(coll, [...recKeys]);
}

function recordsFor(coll: CollectionStore, keys: string[]): DocRecord[] {
  const out: DocRecord[] = [];
  for (const k of keys) {
    const rec = coll.records.get(k);
    if (rec) out.push(rec);
  }
  return out;
}

/**
 * Equality conditions usable for index lookups: `{a: v}`, `{a: {$eq: v}}`, `{a: {$in: [...]}}`
 * at top level or inside a top-level `$and`. Array and regex values are left to the scan, since
 * their matching rules are not plain key equality.
 */
function equalities(filter: Doc, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [path, cond] of Object.entries(filter)) {
    if (path === '$and' && Array.isArray(cond)) {
      for (const clause of cond) if (isPlainObject(clause)) equalities(clause, out);
      continue;
    }
    if (path.startsWith('$')) continue;
    let values: unknown[] | null = null;
    if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      const ops = Object.keys(cond);
      if (ops.length === 1 && ops[0] === '$eq') values = [cond.$eq];
      else if (ops.length === 1 && ops[0] === '$in' && Array.isArray(cond.$in)) values = cond.$in;
    } else {
      values = [cond];
    }
    if (values?.every(isIndexableValue) && !out.has(path)) out.set(path, values);
  }
  return out;
}

function isIndexableValue(v: unknown): boolean {
  return !Array.isArray(v) && !(v instanceof RegExp) && v !== undefined;
}

function cartesian(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const list of lists) {
    const next: unknown[][] = [];
    for (const t of out) for (const v of list) next.push([...t, v]);
    out = next;
  }
  return out;
}
