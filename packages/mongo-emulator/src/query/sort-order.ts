import { compareValues } from '../bson/bson-compare.js';
import type { Doc } from '../bson/bson-types.js';
import { splitPath, valuesAtPath } from '../bson/field-path.js';
import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';

/** Sort key meaning insertion order (`{$natural: 1}`), which the emulator's scans already follow. */
export const NATURAL = '$natural';

/** One sort key: path parts and direction. */
export interface SortKey {
  parts: string[];
  dir: 1 | -1;
}

/** Parses a sort document (`{a: 1, b: -1}`), refusing directions mongod refuses. */
export function parseSort(sort: Doc): SortKey[] {
  return Object.entries(sort).map(([path, dir]) => {
    if (dir !== 1 && dir !== -1) {
      if (typeof dir === 'object' && dir !== null) {
        throw new CommandError(ErrorCode.BadValue, `$meta sort is not supported by the emulator: ${path}`);
      }
      throw new CommandError(ErrorCode.BadValue, `$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    }
    return { parts: splitPath(path), dir };
  });
}

/**
 * mongod's sort comparison: for an array field the smallest element is the ascending key and the
 * largest the descending key; missing sorts as null.
 */
export function compareForSort(a: Doc, b: Doc, keys: SortKey[]): number {
  for (const key of keys) {
    const c = compareValues(sortValue(a, key), sortValue(b, key));
    if (c !== 0) return c * key.dir;
  }
  return 0;
}

function sortValue(doc: Doc, key: SortKey): unknown {
  const values: unknown[] = [];
  for (const v of valuesAtPath(doc, key.parts)) {
    if (Array.isArray(v)) values.push(...(v.length === 0 ? [undefined] : v));
    else values.push(v);
  }
  if (values.length === 1) return values[0];
  let best = values[0];
  for (const v of values) {
    const c = compareValues(v, best);
    if ((key.dir === 1 && c < 0) || (key.dir === -1 && c > 0)) best = v;
  }
  return best;
}
