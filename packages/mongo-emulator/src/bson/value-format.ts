import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { isPlainObject } from './bson-types.js';

/**
 * Formats a value the way mongod prints BSON in error messages (`"text"`, `ObjectId('…')`,
 * `new Date(1700000000000)`, `{ a: 1 }`), so messages such as E11000's `dup key: { … }` match.
 */
export function formatValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    default:
      break;
  }
  if (v === null) return 'null';
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map(formatValue).join(', ')} ]`;
  if (isPlainObject(v)) return formatObject(v);
  if (v instanceof Long) return `${v.toString()}`;
  if (v instanceof Decimal128) return `NumberDecimal("${v.toString()}")`;
  if (v instanceof Binary) {
    const hex = Buffer.from(v.buffer.subarray(0, v.position)).toString('hex').toUpperCase();
    return v.sub_type === 4 ? `UUID("${formatUuid(hex)}")` : `BinData(${v.sub_type}, ${hex})`;
  }
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  if (v instanceof Timestamp) return `Timestamp(${v.high}, ${v.low})`;
  if (v instanceof MinKey) return 'MinKey';
  if (v instanceof MaxKey) return 'MaxKey';
  return String(v);
}

/** `{ a: 1, b: "x" }` — mongod's BSONObj::toString. */
export function formatObject(doc: Record<string, unknown>): string {
  const keys = Object.keys(doc);
  if (keys.length === 0) return '{}';
  return `{ ${keys.map((k) => `${k}: ${formatValue(doc[k])}`).join(', ')} }`;
}

/** `{a: 1}` — mongod's BSONElement::toString wrapped in braces, used by update errors. */
export function formatElement(name: string, value: unknown): string {
  return `{${name}: ${formatValue(value)}}`;
}

function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) <= 2147483647) return String(n);
  if (Number.isInteger(n)) return `${n}.0`;
  return String(n);
}

function formatUuid(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
