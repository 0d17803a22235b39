import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { splitPath } from '../bson/field-path.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { DocWriter } from './doc-writer.js';

/**
 * The document an upsert starts from: mongod copies the filter's equality conditions into it
 * (`{a: 1}`, `{a: {$eq: 1}}`, a one-element `$in`, conditions inside `$and`, dotted paths as
 * nested fields), then applies the update operators. Two conditions on the same or overlapping
 * paths cannot be combined (NotSingleValueField, 54).
 */
export function seedFromFilter(filter: Doc | undefined | null): Doc {
  const pairs: Array<[string, unknown]> = [];
  if (filter) collect(filter, pairs);
  if (pairs.every(([path]) => !path.includes('.'))) {
    // Common case (top-level equalities): no nesting, only duplicates to refuse.
    const out: Doc = {};
    for (const [path, value] of pairs) {
      if (path in out) fail(ErrorCode.NotSingleValueField, `cannot infer query fields to set, path '${path}' is matched twice`);
      out[path] = value;
    }
    return out;
  }
  const w = new DocWriter({});
  const seen: string[][] = [];
  for (const [path, value] of pairs) {
    const parts = splitPath(path);
    for (const other of seen) {
      const n = Math.min(other.length, parts.length);
      if (other.slice(0, n).join('.') === parts.slice(0, n).join('.')) {
        const otherPath = other.join('.');
        fail(
          ErrorCode.NotSingleValueField,
          otherPath === path
            ? `cannot infer query fields to set, path '${path}' is matched twice`
            : `cannot infer query fields to set, both paths '${path}' and '${otherPath}' are matched`,
        );
      }
    }
    seen.push(parts);
    w.set(w.slotForWrite(parts), value);
  }
  return w.root;
}

function collect(filter: Doc, out: Array<[string, unknown]>): void {
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(cond)) {
      for (const clause of cond) if (isPlainObject(clause)) collect(clause, out);
      continue;
    }
    if (key.startsWith('$')) continue;
    if (cond instanceof RegExp) continue;
    if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      const ops = Object.keys(cond);
      if (ops.length === 1 && ops[0] === '$eq') out.push([key, cond.$eq]);
      else if (ops.length === 1 && ops[0] === '$in' && Array.isArray(cond.$in) && cond.$in.length === 1) {
        if (!(cond.$in[0] instanceof RegExp)) out.push([key, cond.$in[0]]);
      }
      continue;
    }
    out.push([key, cond]);
  }
}
