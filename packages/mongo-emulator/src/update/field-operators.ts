import { Timestamp } from 'bson';
import { compareValues, valuesEqual } from '../bson/bson-compare.js';
import { isNumeric, isPlainObject, toNumber, typeName } from '../bson/bson-types.js';
import { formatElement, formatValue } from '../bson/value-format.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { applyArrayOperator } from './array-operators.js';
import type { DocWriter } from './doc-writer.js';
import type { UpdateOp } from './update-spec.js';

/**
 * Applies one update operation to the document being written. Returns true when the document
 * changed (mongod does not count or write no-op updates). `idValue` is the document's `_id`,
 * used in mongod's error messages.
 */
export function applyOperator(w: DocWriter, u: UpdateOp, idValue: unknown, now: Date): boolean {
  switch (u.op) {
    case '$set':
    case '$setOnInsert':
      return setValue(w, u, u.operand);
    case '$unset': {
      const slot = w.slotIfExists(u.parts);
      return slot ? w.unset(slot) : false;
    }
    case '$inc':
    case '$mul':
      return arithmetic(w, u, idValue);
    case '$min':
    case '$max': {
      const slot = w.slotForWrite(u.parts);
      const cur = w.read(slot);
      const c = compareValues(u.operand, cur);
      if (cur !== undefined && (u.op === '$min' ? c >= 0 : c <= 0)) return false;
      w.set(slot, u.operand);
      return true;
    }
    case '$currentDate': {
      const asTimestamp = isPlainObject(u.operand) && u.operand.$type === 'timestamp';
      const value = asTimestamp ? Timestamp.fromNumber(Math.floor(now.getTime() / 1000) * 2 ** 32) : new Date(now.getTime());
      w.set(w.slotForWrite(u.parts), value);
      return true;
    }
    case '$rename':
      return rename(w, u);
    default:
      return applyArrayOperator(w, u, idValue);
  }
}

function setValue(w: DocWriter, u: UpdateOp, value: unknown): boolean {
  const slot = w.slotForWrite(u.parts);
  const cur = w.read(slot);
  if (cur !== undefined && valuesEqual(cur, value) && sameShape(cur, value)) return false;
  w.set(slot, value);
  return true;
}

/** Equal values of different BSON types (1 vs "1" cannot happen; 1 vs Long(1) can) still rewrite. */
function sameShape(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && (typeof a !== 'object' || (a as object).constructor === (b as object).constructor);
}

function arithmetic(w: DocWriter, u: UpdateOp, idValue: unknown): boolean {
  const slot = w.slotForWrite(u.parts);
  const cur = w.read(slot);
  const operand = toNumber(u.operand as number);
  if (cur === undefined) {
    w.set(slot, u.op === '$inc' ? operand : 0);
    return true;
  }
  if (!isNumeric(cur)) {
    const field = u.parts[u.parts.length - 1] as string;
    fail(
      ErrorCode.TypeMismatch,
      `Cannot apply ${u.op} to a value of non-numeric type. ${formatElement('_id', idValue)} has the field '${field}' of non-numeric type ${typeName(cur)}`,
    );
  }
  const base = toNumber(cur);
  const next = u.op === '$inc' ? base + operand : base * operand;
  if (next === base && typeof cur === 'number') return false;
  w.set(slot, next);
  return true;
}

function rename(w: DocWriter, u: UpdateOp): boolean {
  const from = w.slotIfExists(u.parts);
  if (!from) return false;
  const value = w.read(from);
  if (value === undefined) return false;
  if (Array.isArray(from.container))
    fail(ErrorCode.BadValue, `The source field cannot be an array element, '${u.path}' in doc with ${formatValue(value)}`);
  w.unset(from);
  const target = String(u.operand).split('.');
  w.set(w.slotForWrite(target), value);
  return true;
}
