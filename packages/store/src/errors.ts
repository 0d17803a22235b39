import { MongoServerError } from 'mongodb';
import { COLLECTIONS } from './collections.js';

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
 * The server errors that say "this write can never succeed as sent": the data or the update is
 * wrong, not the server's state. mongod's names and codes (src/mongo/base/error_codes.yml), in
 * one table. Everything else, known or not, is retried: a retry costs a little time, while a
 * dead-lettered batch is counts missing until someone acts.
 */
export const PERMANENT_SERVER_ERRORS = {
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  ConflictingUpdateOperators: 40,
  DollarPrefixedFieldName: 52,
  EmptyFieldName: 56,
  DottedFieldName: 57,
  ImmutableField: 66,
  DocumentValidationFailure: 121,
  BSONObjectTooLarge: 10334,
  /** Only outside the ingest ledger: see {@link isPermanentMongoError}. */
  DuplicateKey: 11000,
} as const;

const PERMANENT_CODES = new Set<number>(Object.values(PERMANENT_SERVER_ERRORS));

/** The labels with which the server or the driver says "try again". */
const RETRY_LABELS = ['TransientTransactionError', 'RetryableWriteError', 'UnknownTransactionCommitResult'] as const;

/**
 * A duplicate key in the ingest ledger means another worker committed the same job or key
 * first: the retry finds it there and changes nothing. mongod names the collection in the
 * message ("E11000 duplicate key error collection: db.ingest_ledger index: _id_ …").
 */
function isLedgerRace(error: MongoServerError): boolean {
  return error.code === PERMANENT_SERVER_ERRORS.DuplicateKey && error.message.includes(`.${COLLECTIONS.ingestLedger} `);
}

/**
 * True when retrying cannot help: a server error from {@link PERMANENT_SERVER_ERRORS} without a
 * retry label. Network, selection and timeout errors, elections, write conflicts, write-concern
 * failures, lock and stale-config errors, and codes this table does not know are all false.
 */
export function isPermanentMongoError(error: unknown): boolean {
  if (!(error instanceof MongoServerError)) return false;
  if (RETRY_LABELS.some((label) => error.hasErrorLabel(label))) return false;
  if (!PERMANENT_CODES.has(Number(error.code))) return false;
  return !isLedgerRace(error);
}
