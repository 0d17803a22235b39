import type { Doc } from '../bson/bson-types.js';
import { isNumeric, isPlainObject, typeName } from '../bson/bson-types.js';
import { splitPath } from '../bson/field-path.js';
import { formatElement } from '../bson/value-format.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';

/** Update operators the emulator implements. */
export const UPDATE_OPERATORS = [
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$setOnInsert',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$currentDate',
  '$rename',
] as const;

export type UpdateOperator = (typeof UPDATE_OPERATORS)[number];

const KNOWN = new Set<string>(UPDATE_OPERATORS);

/** One `operator: { path: operand }` entry of an update document. */
export interface UpdateOp {
  op: UpdateOperator;
  path: string;
  parts: string[];
  operand: unknown;
}

/** A parsed update: operator form, replacement document, or aggregation pipeline. */
export type CompiledUpdate =
  | { kind: 'operators'; ops: UpdateOp[]; hasSetOnInsert: boolean }
  | { kind: 'replacement'; doc: Doc }
  | { kind: 'pipeline'; pipeline: Doc[] };

/**
 * Parses and validates an update once per statement, with mongod's parse-time errors:
 * unknown modifiers (9), non-object operands (9), empty paths (56), non-numeric $inc/$mul
 * arguments (14) and paths that overlap across operators (40, ConflictingUpdateOperators).
 * Operations are returned in field-name order, the order mongod applies them in, so new fields
 * appear in the same order as on mongod.
 */
export function compileUpdate(update: unknown): CompiledUpdate {
  if (Array.isArray(update)) return { kind: 'pipeline', pipeline: update as Doc[] };
  if (!isPlainObject(update)) fail(ErrorCode.FailedToParse, 'Update argument must be either an object or an array');
  const keys = Object.keys(update);
  if (keys.length === 0 || !(keys[0] as string).startsWith('$')) return { kind: 'replacement', doc: replacement(update) };
  const sig = shapeOf(update, keys);
  const cached = sig === null ? undefined : SHAPES.get(sig);
  if (cached) {
    // Same operators on the same paths as an update already checked: only operands differ.
    const ops = cached.map((t) => {
      const operand = (update[t.op] as Doc)[t.path];
      validateOperand(t.op, t.path, operand);
      return { ...t, operand };
    });
    return { kind: 'operators', ops, hasSetOnInsert: ops.some((o) => o.op === '$setOnInsert') };
  }
  const ops: UpdateOp[] = [];
  const seen: string[][] = [];
  for (const name of keys) {
    if (!KNOWN.has(name)) {
      fail(
        ErrorCode.FailedToParse,
        `Unknown modifier: ${name}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    const op = name as UpdateOperator;
    const fields = update[name];
    if (!isPlainObject(fields)) {
      fail(
        ErrorCode.FailedToParse,
        `Modifiers operate on fields but we found type ${typeName(fields)} instead. For example: {$mod: {<field>: ...}} not {${name}: ${String(fields)}}`,
      );
    }
    for (const [path, operand] of Object.entries(fields)) {
      const parts = checkPath(path);
      validateOperand(op, path, operand);
      claim(seen, parts, path);
      if (op === '$rename') {
        if (typeof operand !== 'string')
          fail(ErrorCode.BadValue, `The 'to' field for $rename must be a string: ${path}: ${String(operand)}`);
        if (operand === path) fail(ErrorCode.BadValue, `The source and target field for $rename must differ: ${path}: "${operand}"`);
        claim(seen, checkPath(operand), operand);
      }
      ops.push({ op, path, parts, operand });
    }
  }
  ops.sort((a, b) => comparePaths(a.parts, b.parts));
  if (sig !== null) {
    if (SHAPES.size >= 1000) SHAPES.clear();
    SHAPES.set(
      sig,
      ops.map(({ op, path, parts }) => ({ op, path, parts, operand: undefined })),
    );
  }
  return { kind: 'operators', ops, hasSetOnInsert: ops.some((o) => o.op === '$setOnInsert') };
}

/**
 * Bulk upserts repeat one update shape thousands of times; the path checks and ordering of a
 * shape are computed once. Keyed by operators and their field names; $rename (whose operand is
 * a path) and malformed updates are never cached.
 */
const SHAPES = new Map<string, UpdateOp[]>();

function shapeOf(update: Doc, keys: string[]): string | null {
  let sig = '';
  for (const name of keys) {
    const fields = update[name];
    if (name === '$rename' || !KNOWN.has(name) || !isPlainObject(fields)) return null;
    sig += name;
    for (const field in fields) sig += `\u0001${field}`;
    sig += '\u0002';
  }
  return sig;
}

function replacement(doc: Doc): Doc {
  for (const key of Object.keys(doc)) {
    if (key.startsWith('$')) {
      fail(
        ErrorCode.DollarPrefixedFieldName,
        `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
      );
    }
  }
  return doc;
}

function checkPath(path: string): string[] {
  if (path === '') fail(ErrorCode.EmptyFieldName, 'An empty update path is not valid.');
  const parts = splitPath(path);
  if (parts.some((p) => p === '')) {
    fail(ErrorCode.EmptyFieldName, `The update path '${path}' contains an empty field name, which is not allowed.`);
  }
  if (parts.some((p) => p === '$' || p.startsWith('$['))) {
    fail(ErrorCode.BadValue, `Positional updates ('${path}') are not supported by the emulator`);
  }
  return parts;
}

/** Records a path, failing with mongod's message when it overlaps one already claimed. */
function claim(seen: string[][], parts: string[], path: string): void {
  for (const other of seen) {
    const n = Math.min(other.length, parts.length);
    let same = true;
    for (let i = 0; i < n && same; i++) same = other[i] === parts[i];
    if (same) {
      const at = (other.length <= parts.length ? other : parts).join('.');
      fail(ErrorCode.ConflictingUpdateOperators, `Updating the path '${path}' would create a conflict at '${at}'`);
    }
  }
  seen.push(parts);
}

function validateOperand(op: UpdateOperator, path: string, operand: unknown): void {
  if ((op === '$inc' || op === '$mul') && !isNumeric(operand)) {
    const verb = op === '$inc' ? 'increment' : 'multiply';
    fail(ErrorCode.TypeMismatch, `Cannot ${verb} with non-numeric argument: ${formatElement(path, operand)}`);
  }
  if (op === '$pop' && operand !== 1 && operand !== -1) {
    fail(ErrorCode.FailedToParse, `$pop expects 1 or -1, found: ${String(operand)}`);
  }
  if (op === '$pullAll' && !Array.isArray(operand)) {
    fail(ErrorCode.BadValue, `$pullAll requires an array argument but was given a ${typeName(operand)}`);
  }
  if ((op === '$push' || op === '$addToSet') && isPlainObject(operand) && '$each' in operand) {
    if (!Array.isArray(operand.$each)) {
      fail(ErrorCode.BadValue, `The argument to $each in ${op} must be an array but it was of type: ${typeName(operand.$each)}`);
    }
  }
  if (op === '$currentDate') {
    const ok = typeof operand === 'boolean' || (isPlainObject(operand) && (operand.$type === 'date' || operand.$type === 'timestamp'));
    if (!ok)
      fail(
        ErrorCode.BadValue,
        `${typeName(operand)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`,
      );
  }
}

/** Component-wise path order (how mongod's update tree orders its children). */
function comparePaths(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
