import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { isPlainObject } from './bson-types.js';

/**
 * Encodes a BSON value as a string such that two values get the same string exactly when mongod
 * would treat them as the same index key: numbers of any type compare by value, null and missing
 * are one key, embedded documents compare field by field in order. Strings are length-prefixed,
 * so concatenating encodings (compound keys) is unambiguous.
 */
export function valueKey(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return `s${v.length}:${v}`;
    case 'number':
      return numberKey(v);
    case 'boolean':
      return v ? 'T' : 'F';
    case 'undefined':
      return 'n';
    case 'bigint':
      return numberKey(Number(v));
    default:
      break;
  }
  if (v === null) return 'n';
  if (v instanceof ObjectId) return `o${v.toHexString()}`;
  if (v instanceof Date) return `d${v.getTime()}`;
  if (Array.isArray(v)) {
    let out = '[';
    for (const item of v) out += valueKey(item);
    return `${out}]`;
  }
  if (isPlainObject(v)) {
    let out = '{';
    for (const k of Object.keys(v)) out += `${k.length}:${k}${valueKey(v[k])}`;
    return `${out}}`;
  }
  if (v instanceof Long) return numberKey(v.toNumber());
  if (v instanceof Decimal128) return numberKey(Number(v.toString()));
  if (v instanceof Binary) {
    const b64 = Buffer.from(v.buffer.subarray(0, v.position)).toString('base64');
    return `b${v.sub_type}:${b64.length}:${b64}`;
  }
  if (v instanceof RegExp) return `r${v.source.length}:${v.source}/${v.flags}/`;
  if (v instanceof Timestamp) return `t${v.toString()}`;
  if (v instanceof MinKey) return 'm';
  if (v instanceof MaxKey) return 'M';
  return `x${String(v)}`;
}

function numberKey(n: number): string {
  // -0 and 0 are the same key; NaN equals NaN for index purposes, as in mongod.
  if (n === 0) return 'N0';
  return `N${n}`;
}
