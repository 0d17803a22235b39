import type { Doc } from '../bson/bson-types.js';
import { ErrorCode } from '../errors/error-codes.js';

/** mongod's RetriableError category (src/mongo/base/error_codes.yml), as drivers list it. */
const RETRIABLE = new Set<number>([
  ErrorCode.HostUnreachable,
  ErrorCode.HostNotFound,
  ErrorCode.NetworkTimeout,
  ErrorCode.ShutdownInProgress,
  ErrorCode.PrimarySteppedDown,
  ErrorCode.ExceededTimeLimit,
  ErrorCode.SocketException,
  ErrorCode.NotWritablePrimary,
  ErrorCode.InterruptedAtShutdown,
  ErrorCode.InterruptedDueToReplStateChange,
  ErrorCode.NotPrimaryNoSecondaryOk,
  ErrorCode.NotPrimaryOrSecondary,
]);

const TRANSIENT = new Set<number>([
  ErrorCode.WriteConflict,
  ErrorCode.LockTimeout,
  ErrorCode.SnapshotTooOld,
  ErrorCode.SnapshotUnavailable,
]);

/**
 * The labels mongod attaches to an error it raises (rpc/get_error_labels): inside a
 * transaction a transient error gets `TransientTransactionError`; a retryable write, or a
 * commit/abort, failing with a retriable code (or a retriable write-concern error) gets
 * `RetryableWriteError`. Used for errors the emulator does not label itself: those from the
 * `failCommand` fail point.
 */
export function mongodErrorLabels(command: Doc, code: number | undefined, writeConcernCode: number | undefined): string[] {
  const name = Object.keys(command)[0] ?? '';
  const hasTxnNumber = command.txnNumber !== undefined;
  const inTransaction = hasTxnNumber && command.autocommit !== undefined;
  const commitOrAbort = name === 'commitTransaction' || name === 'abortTransaction';
  if (inTransaction && code !== undefined) {
    const transient =
      TRANSIENT.has(code) ||
      (commitOrAbort
        ? code === ErrorCode.NoSuchTransaction && writeConcernCode === undefined
        : RETRIABLE.has(code) || code === ErrorCode.NoSuchTransaction);
    if (transient) return ['TransientTransactionError'];
  }
  const retryableWrite = hasTxnNumber && !inTransaction;
  if (retryableWrite || (inTransaction && commitOrAbort)) {
    if ((code !== undefined && RETRIABLE.has(code)) || (writeConcernCode !== undefined && RETRIABLE.has(writeConcernCode))) {
      return ['RetryableWriteError'];
    }
  }
  return [];
}
