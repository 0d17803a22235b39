import type { CommandDefinition } from './command-context.js';

/**
 * commitTransaction: the session gate has already checked the transaction is open (or already
 * committed, which makes a retried commit succeed); this makes its writes visible atomically.
 */
export const commitTransactionCommand: CommandDefinition = {
  names: ['commitTransaction'],
  inTransaction: true,
  handler: (ctx) => {
    const session = ctx.session;
    if (session?.txn && session.phase === 'active') {
      ctx.engine.commit(session.txn);
      session.phase = 'committed';
    }
    return {};
  },
};

/** abortTransaction: discards the transaction's writes. */
export const abortTransactionCommand: CommandDefinition = {
  names: ['abortTransaction'],
  inTransaction: true,
  handler: (ctx) => {
    if (ctx.session) ctx.sessions.abortOpen(ctx.session, null);
    return {};
  },
};
