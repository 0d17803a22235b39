import type { Doc } from '../bson/bson-types.js';
import { viewOf } from '../engine/read-view.js';
import { TRANSIENT_TXN_LABEL } from '../engine/write-errors.js';
import { CommandError, fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { ServerSession } from '../session/server-session.js';
import type { CommandContext, CommandDefinition } from './command-context.js';

/**
 * Applies mongod's session rules around a command:
 * - `autocommit: false` commands belong to the session's transaction (started by the command
 *   carrying `startTransaction: true`); any error aborts the transaction, as on mongod.
 * - other commands with `txnNumber` are retryable writes: a retry with the same number returns
 *   the first reply instead of writing again.
 */
export async function runWithSession(ctx: CommandContext, def: CommandDefinition, name: string, run: () => Promise<Doc>): Promise<Doc> {
  const cmd = ctx.command;
  const session = ctx.session;
  const txnNumber = typeof cmd.txnNumber === 'number' ? cmd.txnNumber : undefined;
  if (!session || txnNumber === undefined) return run();
  if (ctx.identity.setName === null) {
    fail(ErrorCode.IllegalOperation, 'Transaction numbers are only allowed on a replica set member or mongos');
  }
  if (cmd.autocommit === false) return runInTransaction(ctx, session, txnNumber, def, name, run);
  if (def.retryableWrite) return runRetryable(ctx, session, txnNumber, run);
  return run();
}

async function runInTransaction(
  ctx: CommandContext,
  session: ServerSession,
  txnNumber: number,
  def: CommandDefinition,
  name: string,
  run: () => Promise<Doc>,
): Promise<Doc> {
  const cmd = ctx.command;
  if (cmd.startTransaction === true) {
    if (txnNumber < session.txnNumber) {
      fail(
        ErrorCode.TransactionTooOld,
        `Cannot start transaction ${txnNumber} on session ${session.id} because a newer transaction ${session.txnNumber} has already started.`,
      );
    }
    if (txnNumber === session.txnNumber) {
      fail(ErrorCode.ConflictingOperationInProgress, `Transaction ${txnNumber} on session ${session.id} has already been started`);
    }
    ctx.sessions.abortOpen(session, null);
    session.txnNumber = txnNumber;
    session.txn = ctx.engine.begin();
    session.phase = 'active';
    session.abortReason = null;
    session.retryReply = null;
  } else {
    if (txnNumber !== session.txnNumber || session.phase === 'none' || session.phase === 'retryable') {
      throw noSuchTransaction(
        `Given transaction number ${txnNumber} does not match any in-progress transactions. The active transaction number is ${session.txnNumber}`,
      );
    }
    if (session.phase === 'committed') {
      if (name === 'commitTransaction') return {};
      fail(ErrorCode.TransactionCommitted, `Transaction with { txnNumber: ${txnNumber} } has been committed.`);
    }
    if (session.phase === 'aborted') {
      const why = session.abortReason ? ` (${session.abortReason})` : '';
      throw noSuchTransaction(`Transaction with { txnNumber: ${txnNumber} } has been aborted${why}.`);
    }
  }
  if (!def.inTransaction) {
    fail(ErrorCode.OperationNotSupportedInTransaction, `Cannot run '${name}' in a multi-document transaction.`);
  }
  ctx.txn = session.txn;
  ctx.view = viewOf(session.txn);
  try {
    const reply = await run();
    const writeErrors = reply.writeErrors;
    if (Array.isArray(writeErrors) && writeErrors.length > 0) ctx.sessions.abortOpen(session, null);
    return reply;
  } catch (err) {
    ctx.sessions.abortOpen(session, null);
    throw err;
  }
}

async function runRetryable(ctx: CommandContext, session: ServerSession, txnNumber: number, run: () => Promise<Doc>): Promise<Doc> {
  if (txnNumber < session.txnNumber) {
    fail(
      ErrorCode.TransactionTooOld,
      `Retryable write with txnNumber ${txnNumber} is prohibited on session ${session.id} because a newer retryable write with txnNumber ${session.txnNumber} has already started on this session.`,
    );
  }
  if (txnNumber === session.txnNumber) {
    if (session.phase === 'retryable' && session.retryReply) return session.retryReply;
    if (session.phase !== 'retryable') {
      fail(ErrorCode.IncompleteTransactionHistory, `Incomplete history detected for transaction ${txnNumber} on session ${session.id}`);
    }
  }
  ctx.sessions.abortOpen(session, null);
  session.txnNumber = txnNumber;
  session.phase = 'retryable';
  session.txn = null;
  const reply = run();
  session.retryReply = reply;
  try {
    return await reply;
  } catch (err) {
    // A failed command records nothing on mongod; a retry runs it again.
    if (session.retryReply === reply) session.retryReply = null;
    throw err;
  }
}

function noSuchTransaction(message: string): CommandError {
  return new CommandError(ErrorCode.NoSuchTransaction, message, {}, [TRANSIENT_TXN_LABEL]);
}
