import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { collectionArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/** create: makes an empty collection; NamespaceExists (48) when it already exists. */
export const createCommand: CommandDefinition = {
  names: ['create'],
  inTransaction: true,
  handler: (ctx) => {
    const name = collectionArg(ctx.command, 'create');
    if (ctx.command.viewOn !== undefined || ctx.command.capped === true || ctx.command.timeseries !== undefined) {
      fail(ErrorCode.IllegalOperation, 'views, capped and time-series collections are not supported by the mongo emulator');
    }
    const { created } = ctx.engine.ensureCollection(ctx.db, name, ctx.view);
    if (!created) fail(ErrorCode.NamespaceExists, `Collection already exists. NS: ${ctx.db}.${name}`);
    return {};
  },
};
