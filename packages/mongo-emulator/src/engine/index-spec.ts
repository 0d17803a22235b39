import type { Doc } from '../bson/bson-types.js';

/** An index definition as createIndexes receives it and listIndexes returns it. */
export interface IndexSpec {
  name: string;
  key: Doc;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Doc;
}

/** The always-present `_id` index. */
export const ID_INDEX_SPEC: IndexSpec = { name: '_id_', key: { _id: 1 } };

/** mongod's default index name: `a_1_b_-1`. */
export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${String(dir)}`)
    .join('_');
}

/** The spec as listIndexes reports it (`v: 2` first, then key and name, then options). */
export function describeIndex(spec: IndexSpec): Doc {
  const out: Doc = { v: 2, key: spec.key, name: spec.name };
  if (spec.unique) out.unique = true;
  if (spec.sparse) out.sparse = true;
  if (spec.expireAfterSeconds !== undefined) out.expireAfterSeconds = spec.expireAfterSeconds;
  if (spec.partialFilterExpression) out.partialFilterExpression = spec.partialFilterExpression;
  return out;
}

/** True when two specs have the same options (name and key compared separately). */
export function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    Boolean(a.unique) === Boolean(b.unique) &&
    Boolean(a.sparse) === Boolean(b.sparse) &&
    a.expireAfterSeconds === b.expireAfterSeconds &&
    JSON.stringify(a.partialFilterExpression ?? null) === JSON.stringify(b.partialFilterExpression ?? null)
  );
}
