import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';

/** A stored document: a plain object whose values are BSON values as the bson package decodes them. */
export type Doc = Record<string, unknown>;

/** True for plain (embedded) documents, false for arrays, Dates, ObjectIds and other BSON classes. */
export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True for any numeric BSON value (JS number, Long, Decimal128). */
export function isNumeric(v: unknown): v is number | Long | Decimal128 {
  return typeof v === 'number' || v instanceof Long || v instanceof Decimal128;
}

/** A numeric BSON value as a JS number (precision beyond 2^53 is lost, by design). */
export function toNumber(v: number | Long | Decimal128): number {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  return Number(v.toString());
}

/**
 * Canonical BSON type order rank used for comparisons and sorting (mongod's
 * "Comparison/Sort Order"): MinKey < null < numbers < strings < objects < arrays < binData
 * < ObjectId < bool < Date < Timestamp < regex < MaxKey.
 */
export function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 2;
  switch (typeof v) {
    case 'number':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    case 'bigint':
      return 3;
    default:
      break;
  }
  if (Array.isArray(v)) return 6;
  if (v instanceof Date) return 10;
  if (v instanceof ObjectId) return 8;
  if (isPlainObject(v)) return 5;
  if (v instanceof Long || v instanceof Decimal128) return 3;
  if (v instanceof Binary) return 7;
  if (v instanceof Timestamp) return 11;
  if (v instanceof RegExp) return 12;
  if (v instanceof MinKey) return 1;
  if (v instanceof MaxKey) return 13;
  return 5;
}

/** mongod's type name for a value, as used in error messages ("string", "objectId", …). */
export function typeName(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && Math.abs(v) <= 2147483647 ? 'int' : 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      break;
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof ObjectId) return 'objectId';
  if (v instanceof Long) return 'long';
  if (v instanceof Decimal128) return 'decimal';
  if (v instanceof Binary) return 'binData';
  if (v instanceof Timestamp) return 'timestamp';
  if (v instanceof RegExp) return 'regex';
  if (v instanceof MinKey) return 'minKey';
  if (v instanceof MaxKey) return 'maxKey';
  return 'object';
}
