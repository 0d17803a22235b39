import { ObjectId } from 'bson';
import { Query } from 'mingo';
import { valuesEqual } from '../bson/bson-compare.js';
import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { splitPath, valuesAtPath } from '../bson/field-path.js';
import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { QUERY_OPTIONS } from './mingo-options.js';

/** A compiled query filter. */
export type Matcher = (doc: Doc) => boolean;

const MATCH_ALL: Matcher = () => true;

/**
 * Compiles a query filter. Plain equality filters (the shape of every upsert key and `_id`
 * lookup) are matched by a small hand-written function, because building a mingo Query per
 * statement dominated bulk upserts; everything else is mingo's full query language.
 */
export function compileFilter(filter: Doc | undefined | null, variables?: Doc): Matcher {
  if (!filter) return MATCH_ALL;
  const keys = Object.keys(filter);
  if (keys.length === 0) return MATCH_ALL;
  const simple = simpleEqualities(filter, keys);
  if (simple) return (doc) => simple.every(([parts, want]) => pathEquals(doc, parts, want));
  let query: Query;
  try {
    // The command's `let` variables, for `$$name` inside `$expr`.
    query = new Query(filter, variables ? { ...QUERY_OPTIONS, variables } : QUERY_OPTIONS);
  } catch (err) {
    throw new CommandError(ErrorCode.BadValue, (err as Error).message);
  }
  return (doc) => {
    try {
      return query.test(doc);
    } catch (err) {
      throw new CommandError(ErrorCode.BadValue, (err as Error).message);
    }
  };
}

/** `[path parts, value]` pairs when every condition is a scalar equality, else null. */
function simpleEqualities(filter: Doc, keys: string[]): Array<[string[], unknown]> | null {
  const out: Array<[string[], unknown]> = [];
  for (const key of keys) {
    if (key.startsWith('$')) return null;
    let value = filter[key];
    if (isPlainObject(value)) {
      const inner = Object.keys(value);
      if (inner.length !== 1 || inner[0] !== '$eq') return null;
      value = value.$eq;
    }
    if (!isSimpleScalar(value)) return null;
    out.push([splitPath(key), value]);
  }
  return out;
}

function isSimpleScalar(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' || v instanceof Date || v instanceof ObjectId;
}

/** mongod equality over a path: any reached value, or any element of a reached array, equals. */
function pathEquals(doc: Doc, parts: string[], want: unknown): boolean {
  for (const v of valuesAtPath(doc, parts)) {
    if (valuesEqual(v, want)) return true;
    if (Array.isArray(v) && v.some((item) => valuesEqual(item, want))) return true;
  }
  return false;
}
