import type { Doc } from '../bson/bson-types.js';
import { isPlainObject, typeName } from '../bson/bson-types.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { evaluateExpressions } from '../query/evaluate-expressions.js';

/** The collection named by a command's first field, validated like mongod does. */
export function collectionArg(cmd: Doc, name: string): string {
  const value = cmd[name];
  if (typeof value !== 'string') {
    fail(ErrorCode.InvalidNamespace, `collection name has invalid type ${typeName(value)}`);
  }
  if (value === '' || value.includes('\0') || value.startsWith('.') || value.includes('$')) {
    fail(ErrorCode.InvalidNamespace, `Invalid namespace specified '${String(cmd.$db)}.${value}'`);
  }
  return value;
}

/**
 * The command's `let` variables (find, aggregate, update, delete, findAndModify), if any. Their
 * values are expressions, evaluated once, as mongod does (`{ $literal: '$x' }` is the string).
 */
export function letArg(cmd: Doc, command: string): Doc | undefined {
  const vars = docArg(cmd, 'let', command);
  return vars ? evaluateExpressions(vars) : undefined;
}

/** An optional document argument. */
export function docArg(cmd: Doc, field: string, command: string): Doc | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) {
    fail(ErrorCode.TypeMismatch, `BSON field '${command}.${field}' is the wrong type '${typeName(v)}', expected type 'object'`);
  }
  return v;
}

/** An optional non-negative integer argument. */
export function countArg(cmd: Doc, field: string, command: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    fail(
      ErrorCode.TypeMismatch,
      `BSON field '${command}.${field}' is the wrong type '${typeName(v)}', expected types '[long, int, decimal, double]'`,
    );
  }
  if (v < 0) fail(ErrorCode.BadValue, `BSON field '${field}' value must be >= 0, actual value '${v}'`);
  return Math.trunc(v);
}

/** An array argument of documents (insert's documents, update's updates, …). */
export function docsArg(cmd: Doc, field: string, command: string): Doc[] {
  const v = cmd[field];
  if (!Array.isArray(v)) fail(ErrorCode.FailedToParse, `BSON field '${command}.${field}' is missing but a required field`);
  return v as Doc[];
}
