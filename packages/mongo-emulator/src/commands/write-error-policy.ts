import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { CommandContext } from './command-context.js';

/**
 * Whether a statement's error is reported in `writeErrors` (true) or fails the whole command.
 * Inside a transaction mongod returns WriteConflict as a command error carrying the
 * TransientTransactionError label, so that drivers retry the transaction.
 */
export function isStatementError(err: unknown, ctx: CommandContext): err is CommandError {
  if (!(err instanceof CommandError)) return false;
  if (ctx.txn && err.code === ErrorCode.WriteConflict) return false;
  // A command that ran out of maxTimeMS fails as a whole, as on mongod.
  if (err.code === ErrorCode.MaxTimeMSExpired) return false;
  return true;
}
