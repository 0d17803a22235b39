import { isPlainObject } from './bson-types.js';

const splitCache = new Map<string, string[]>();

/** Splits a dotted path, caching the result (the same few paths recur for every document). */
export function splitPath(path: string): string[] {
  let parts = splitCache.get(path);
  if (!parts) {
    parts = path.split('.');
    if (splitCache.size > 10_000) splitCache.clear();
    splitCache.set(path, parts);
  }
  return parts;
}

/** True when `s` is a non-negative array index such as "0" or "12". */
export function isIndexSegment(s: string): boolean {
  if (s.length === 0 || s.length > 9) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length === 1 || s.charCodeAt(0) !== 48;
}

/** The value at a dotted path without array expansion (numeric segments index arrays). */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of splitPath(path)) {
    if (Array.isArray(cur)) {
      if (!isIndexSegment(part)) return undefined;
      cur = cur[Number(part)];
    } else if (isPlainObject(cur)) {
      cur = cur[part];
    } else {
      return undefined;
    }
  }
  return cur;
}

/**
 * Every value a query or index sees at a dotted path, expanding arrays the way mongod does:
 * `a.b` over `{a: [{b: 1}, {b: 2}]}` yields 1 and 2. A missing field yields `undefined` once.
 * Leaf arrays are returned as-is; callers decide whether to expand them.
 */
export function valuesAtPath(doc: unknown, parts: readonly string[], from = 0, out: unknown[] = []): unknown[] {
  if (from === parts.length) {
    out.push(doc);
    return out;
  }
  const part = parts[from] as string;
  if (Array.isArray(doc)) {
    if (isIndexSegment(part)) {
      valuesAtPath(doc[Number(part)], parts, from + 1, out);
      return out;
    }
    let found = false;
    for (const item of doc) {
      if (isPlainObject(item) || Array.isArray(item)) {
        const before = out.length;
        valuesAtPath(item, parts, from, out);
        if (out.length > before) found = true;
      }
    }
    if (!found) out.push(undefined);
    return out;
  }
  if (isPlainObject(doc)) return valuesAtPath(doc[part], parts, from + 1, out);
  out.push(undefined);
  return out;
}
