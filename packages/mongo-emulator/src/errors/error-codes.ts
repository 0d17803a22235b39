/**
 * The mongod error codes the emulator can return, with mongod's code names
 * (src/mongo/base/error_codes.yml). Kept as one table so replies and tests agree on spelling.
 */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  Unauthorized: 13,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  InvalidBSON: 22,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  NotSingleValueField: 54,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  ProtocolError: 17,
  CannotIndexParallelArrays: 171,
  CannotCreateIndex: 67,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  ConflictingOperationInProgress: 117,
  IncompleteTransactionHistory: 217,
  MaxTimeMSExpired: 50,
  NamespaceNotFound: 26,
  TransactionTooOld: 225,
  OperationNotSupportedInTransaction: 263,
  Location10334: 10334,
  DuplicateKey: 11000,
  UnsupportedOpQueryCommand: 352,
  Location40571: 40571,
  IDLUnknownField: 40415,
  Location50851: 50851,
  Location40324: 40324,
  Location17419: 17419,
  Location50985: 50985,
  HostUnreachable: 6,
  HostNotFound: 7,
  LockTimeout: 24,
  WriteConcernFailed: 64,
  UnknownReplWriteConcern: 79,
  NetworkTimeout: 89,
  ShutdownInProgress: 91,
  UnsatisfiableWriteConcern: 100,
  PrimarySteppedDown: 189,
  SnapshotTooOld: 239,
  SnapshotUnavailable: 246,
  ExceededTimeLimit: 262,
  SocketException: 9001,
  NotWritablePrimary: 10107,
  InterruptedAtShutdown: 11600,
  Interrupted: 11601,
  InterruptedDueToReplStateChange: 11602,
  NotPrimaryNoSecondaryOk: 13435,
  NotPrimaryOrSecondary: 13436,
} as const;

/** Numeric code → mongod's codeName, for the `codeName` field of error replies. */
const NAMES: Record<number, string> = {};
for (const [name, code] of Object.entries(ErrorCode)) NAMES[code] = name;

/** mongod's codeName for a code ("Location<code>" for codes without a name, as mongod does). */
export function codeName(code: number): string {
  return NAMES[code] ?? `Location${code}`;
}
