import type { Binary, ObjectId, Timestamp } from 'bson';
import { isNumeric, toNumber, typeRank } from './bson-types.js';

/**
 * Compares two BSON values in mongod's order: first by canonical type rank, then by value.
 * Used for $min/$max, sorting and range checks. Missing and null compare equal.
 */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 2:
    case 1:
    case 13:
      return 0;
    case 3:
      return cmp(toNumber(a as number), toNumber(b as number));
    case 4:
      return cmp(a as string, b as string);
    case 5:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case 6:
      return compareArrays(a as unknown[], b as unknown[]);
    case 7:
      return compareBinary(a as Binary, b as Binary);
    case 8:
      return Buffer.compare((a as ObjectId).id, (b as ObjectId).id);
    case 9:
      return cmp(a ? 1 : 0, b ? 1 : 0);
    case 10:
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case 11:
      return (a as Timestamp).compare(b as Timestamp);
    case 12: {
      const x = a as RegExp;
      const y = b as RegExp;
      return cmp(x.source, y.source) || cmp(x.flags, y.flags);
    }
    default:
      return 0;
  }
}

/** BSON equality: same type class and same value (1 and 1.0 are equal; key order matters in objects). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return isNumeric(a) && isNumeric(b) ? toNumber(a) === toNumber(b) : false;
  }
  return compareValues(a, b) === 0;
}

function cmp<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const x = a[ka[i] as string];
    const y = b[kb[i] as string];
    const byType = cmp(typeRank(x), typeRank(y));
    if (byType) return byType;
    const byName = cmp(ka[i] as string, kb[i] as string);
    if (byName) return byName;
    const byValue = compareValues(x, y);
    if (byValue) return byValue;
  }
  return cmp(ka.length, kb.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c) return c;
  }
  return cmp(a.length, b.length);
}

function compareBinary(a: Binary, b: Binary): number {
  return (
    cmp(a.position, b.position) ||
    cmp(a.sub_type, b.sub_type) ||
    Buffer.compare(Buffer.from(a.buffer.subarray(0, a.position)), Buffer.from(b.buffer.subarray(0, b.position)))
  );
}
