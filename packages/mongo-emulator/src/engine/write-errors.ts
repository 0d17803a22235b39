import type { Doc } from '../bson/bson-types.js';
import { formatObject } from '../bson/value-format.js';
import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { TxnLike } from './read-view.js';

/** The label that makes drivers retry a whole transaction. */
export const TRANSIENT_TXN_LABEL = 'TransientTransactionError';

/** mongod's WriteConflict, labelled so that `withTransaction` retries. */
export function writeConflict(): CommandError {
  return new CommandError(
    ErrorCode.WriteConflict,
    'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
    {},
    [TRANSIENT_TXN_LABEL],
  );
}

/**
 * Thrown by the storage layer when a write outside any transaction meets a document that an
 * open transaction has written. mongod makes such a write wait until the transaction ends; the
 * command layer awaits `txn.finished` and retries.
 */
export class LockWait extends Error {
  constructor(readonly txn: TxnLike) {
    super('waiting for a transaction to finish');
  }
}

/**
 * mongod's duplicate key error:
 * `E11000 duplicate key error collection: db.coll index: name dup key: { field: value }`
 * with `keyPattern` and `keyValue`.
 */
export function duplicateKey(ns: string, indexName: string, keyPattern: Doc, fields: string[], values: unknown[]): CommandError {
  const keyValue: Doc = {};
  fields.forEach((f, i) => {
    keyValue[f] = values[i] === undefined ? null : values[i];
  });
  return new CommandError(
    ErrorCode.DuplicateKey,
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${formatObject(keyValue)}`,
    { keyPattern, keyValue },
  );
}
