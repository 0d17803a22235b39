import { Query } from 'mingo';
import { compareValues, valuesEqual } from '../bson/bson-compare.js';
import type { Doc } from '../bson/bson-types.js';
import { isPlainObject, typeName } from '../bson/bson-types.js';
import { formatElement } from '../bson/value-format.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { QUERY_OPTIONS } from '../query/mingo-options.js';
import { compareForSort, parseSort } from '../query/sort-order.js';
import type { DocWriter, Slot } from './doc-writer.js';
import type { UpdateOp } from './update-spec.js';

/** $push, $addToSet, $pop, $pull and $pullAll with mongod's semantics and errors. */
export function applyArrayOperator(w: DocWriter, u: UpdateOp, idValue: unknown): boolean {
  if (u.op === '$push' || u.op === '$addToSet') {
    const slot = w.slotForWrite(u.parts);
    const cur = w.read(slot);
    if (cur !== undefined && !Array.isArray(cur)) notAnArray(u, cur, idValue);
    const arr = cur === undefined ? [] : w.ownedArray(slot, cur);
    if (cur === undefined) w.set(slot, arr);
    return u.op === '$push' ? push(arr, u.operand) || cur === undefined : addToSet(arr, u.operand) || cur === undefined;
  }
  const slot = w.slotIfExists(u.parts);
  const cur = slot ? w.read(slot) : undefined;
  if (cur === undefined || cur === null) return false;
  if (!Array.isArray(cur)) {
    if (u.op === '$pop') fail(ErrorCode.TypeMismatch, `Path '${u.path}' contains an element of non-array type '${typeName(cur)}'`);
    fail(ErrorCode.BadValue, 'Cannot apply $pull to a non-array value');
  }
  if (cur.length === 0) return false;
  const arr = w.ownedArray(slot as Slot, cur);
  if (u.op === '$pop') {
    if (u.operand === 1) arr.pop();
    else arr.shift();
    return true;
  }
  const remove = u.op === '$pullAll' ? pullAllPredicate(u.operand as unknown[]) : pullPredicate(u.operand);
  const kept = arr.filter((v) => !remove(v));
  if (kept.length === arr.length) return false;
  arr.length = 0;
  arr.push(...kept);
  return true;
}

function notAnArray(u: UpdateOp, cur: unknown, idValue: unknown): never {
  fail(
    ErrorCode.BadValue,
    `The field '${u.path}' must be an array but is of type ${typeName(cur)} in document ${formatElement('_id', idValue)}`,
  );
}

function push(arr: unknown[], operand: unknown): boolean {
  if (!isPlainObject(operand) || !('$each' in operand)) {
    arr.push(operand);
    return true;
  }
  const each = operand.$each as unknown[];
  const position = typeof operand.$position === 'number' ? operand.$position : undefined;
  if (position === undefined) arr.push(...each);
  else {
    const at = position < 0 ? Math.max(0, arr.length + position) : Math.min(position, arr.length);
    arr.splice(at, 0, ...each);
  }
  if (operand.$sort !== undefined) sortArray(arr, operand.$sort);
  if (typeof operand.$slice === 'number') {
    const n = operand.$slice;
    const sliced = n >= 0 ? arr.slice(0, n) : arr.slice(Math.max(0, arr.length + n));
    arr.length = 0;
    arr.push(...sliced);
  }
  return true;
}

function sortArray(arr: unknown[], spec: unknown): void {
  if (spec === 1 || spec === -1) {
    arr.sort((a, b) => compareValues(a, b) * (spec as number));
    return;
  }
  if (!isPlainObject(spec))
    fail(ErrorCode.BadValue, 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
  const keys = parseSort(spec);
  arr.sort((a, b) => compareForSort((isPlainObject(a) ? a : {}) as Doc, (isPlainObject(b) ? b : {}) as Doc, keys));
}

function addToSet(arr: unknown[], operand: unknown): boolean {
  const values = isPlainObject(operand) && '$each' in operand ? (operand.$each as unknown[]) : [operand];
  let changed = false;
  for (const v of values) {
    if (!arr.some((x) => valuesEqual(x, v))) {
      arr.push(v);
      changed = true;
    }
  }
  return changed;
}

function pullAllPredicate(values: unknown[]): (v: unknown) => boolean {
  return (v) => values.some((x) => valuesEqual(x, v));
}

/** $pull: a document condition is a query on each element; anything else is equality. */
function pullPredicate(cond: unknown): (v: unknown) => boolean {
  if (!isPlainObject(cond)) return (v) => valuesEqual(v, cond);
  const keys = Object.keys(cond);
  if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) {
    const q = new Query({ v: cond }, QUERY_OPTIONS);
    return (v) => q.test({ v });
  }
  const q = new Query(cond, QUERY_OPTIONS);
  return (v) => isPlainObject(v) && q.test(v);
}
