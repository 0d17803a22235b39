import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'mongodb';

/** Looks up what `$$sessionLsid` refers to: the lsid a session entity had. */
export type LsidLookup = (sessionId: string) => unknown;

/**
 * The unified test format's matching rules: a root-level document may carry fields the
 * expected one does not list, nested documents may not; arrays match element by element;
 * numbers compare by value whatever their BSON type; the `$$exists`, `$$type`,
 * `$$unsetOrMatches` and `$$sessionLsid` operators. Returns the first mismatch, or null.
 */
export function mismatch(expected: unknown, actualValue: unknown, lsidOf: LsidLookup, path = '', root = true): string | null {
  // The driver sends some fields (sort) as a Map to keep their order.
  const actual = actualValue instanceof Map ? Object.fromEntries(actualValue) : actualValue;
  if (isDoc(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0]?.startsWith('$$')) return operator(keys[0], expected[keys[0]], actual, lsidOf, path, root);
    if (!isDoc(actual)) return `${path || 'value'}: expected a document, got ${show(actual)}`;
    for (const key of keys) {
      const want = expected[key];
      const sub = `${path}${path ? '.' : ''}${key}`;
      if (isDoc(want) && '$$exists' in want) {
        if (want.$$exists !== key in actual && !(want.$$exists === false && actual[key] === undefined)) {
          return `${sub}: expected ${want.$$exists ? 'present' : 'absent'}`;
        }
        continue;
      }
      if (isDoc(want) && '$$unsetOrMatches' in want && actual[key] === undefined) continue;
      if (!(key in actual) || actual[key] === undefined) return `${sub}: missing (expected ${show(want)})`;
      const bad = mismatch(want, actual[key], lsidOf, sub, false);
      if (bad) return bad;
    }
    if (!root) {
      const extra = Object.keys(actual).filter((k) => !(k in expected) && actual[k] !== undefined);
      if (extra.length > 0) return `${path || 'document'}: unexpected field(s) ${extra.join(', ')}`;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path || 'value'}: expected an array, got ${show(actual)}`;
    if (actual.length !== expected.length)
      return `${path || 'array'}: expected ${expected.length} element(s), got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const bad = mismatch(expected[i], actual[i], lsidOf, `${path}[${i}]`, root && isDoc(expected[i]));
      if (bad) return bad;
    }
    return null;
  }
  return sameValue(expected, actual) ? null : `${path || 'value'}: expected ${show(expected)}, got ${show(actual)}`;
}

function operator(name: string, arg: unknown, actual: unknown, lsidOf: LsidLookup, path: string, root: boolean): string | null {
  switch (name) {
    case '$$unsetOrMatches':
      return actual === undefined ? null : mismatch(arg, actual, lsidOf, path, root);
    case '$$exists':
      return (actual !== undefined) === arg ? null : `${path}: expected ${arg ? 'present' : 'absent'}`;
    case '$$type': {
      const types = Array.isArray(arg) ? arg : [arg];
      return types.some((t) => hasType(actual, String(t))) ? null : `${path}: expected type ${types.join('|')}, got ${show(actual)}`;
    }
    case '$$sessionLsid':
      return mismatch(lsidOf(String(arg)), actual, lsidOf, path, false);
    case '$$lte':
      return typeof num(actual) === 'number' && (num(actual) as number) <= (num(arg) as number)
        ? null
        : `${path}: expected <= ${show(arg)}`;
    case '$$matchAsRoot':
      return mismatch(arg, actual, lsidOf, path, true);
    default:
      return `${path}: unsupported operator ${name}`;
  }
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'double':
    case 'int':
      return typeof v === 'number' || v instanceof Double || v instanceof Int32;
    case 'long':
      return v instanceof Long || typeof v === 'number';
    case 'number':
      return num(v) !== undefined;
    case 'string':
      return typeof v === 'string';
    case 'object':
      return isDoc(v);
    case 'array':
      return Array.isArray(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'date':
      return v instanceof Date;
    case 'null':
      return v === null;
    case 'objectId':
      return v instanceof ObjectId;
    case 'binData':
      return v instanceof Binary;
    case 'timestamp':
      return v instanceof Timestamp;
    default:
      return false;
  }
}

/** Numbers of any BSON type as a JS number; undefined for non-numbers. */
function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Double || v instanceof Int32) return v.valueOf();
  if (v instanceof Decimal128) return Number(v.toString());
  return undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  const na = num(a);
  const nb = num(b);
  if (na !== undefined || nb !== undefined) return na === nb;
  if (a instanceof ObjectId || b instanceof ObjectId) return String(a) === String(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Binary && b instanceof Binary) return Buffer.from(a.buffer).equals(Buffer.from(b.buffer)) && a.sub_type === b.sub_type;
  if (a instanceof Timestamp && b instanceof Timestamp) return a.equals(b);
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  return Object.is(a, b) || (a === null && b === null);
}

/** A document: a plain object or a driver options object (ReadConcern, WriteConcern), not a BSON value. */
export function isDoc(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return !('_bsontype' in v) && !(v instanceof Date) && !(v instanceof RegExp) && !(v instanceof Uint8Array);
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}
