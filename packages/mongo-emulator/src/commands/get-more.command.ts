import { Long } from 'bson';
import { cursorReply } from '../cursor/cursor-registry.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { countArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/** getMore: the next batch of a cursor, or CursorNotFound (43). */
export const getMoreCommand: CommandDefinition = {
  names: ['getMore'],
  inTransaction: true,
  handler: (ctx) => {
    const cmd = ctx.command;
    const raw = cmd.getMore;
    const id = raw instanceof Long ? raw.toNumber() : Number(raw);
    if (typeof cmd.collection !== 'string') {
      fail(ErrorCode.FailedToParse, "BSON field 'getMore.collection' is missing but a required field");
    }
    const batch = ctx.cursors.getMore(id, `${ctx.db}.${cmd.collection}`, countArg(cmd, 'batchSize', 'getMore'));
    if (!batch) fail(ErrorCode.CursorNotFound, `cursor id ${String(id)} not found`);
    return cursorReply(batch, 'nextBatch');
  },
};
