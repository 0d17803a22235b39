import { MongoError, MongoServerError } from 'mongodb';

/** A unique index refused a write (E11000). */
export class DuplicateKeyError extends Error {
  constructor(
    readonly keyValue: unknown,
    options?: { cause?: unknown },
  ) {
    super(`duplicate key ${JSON.stringify(keyValue)}`, options);
    this.name = 'DuplicateKeyError';
  }
}

export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/**
 * Errors worth retrying: network and selection failures, write conflicts, a primary stepping
 * down. Anything else from the server is a fault in the data or the code and will not heal.
 */
export function isTransientMongoError(error: unknown): boolean {
  if (!(error instanceof MongoError)) return false;
  if (error.hasErrorLabel('TransientTransactionError') || error.hasErrorLabel('RetryableWriteError')) return true;
  if (error.hasErrorLabel('UnknownTransactionCommitResult')) return true;
  if (!(error instanceof MongoServerError)) return true; // network, selection, pool, timeout
  return [6, 7, 89, 91, 112, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 50, 24].includes(Number(error.code));
}
