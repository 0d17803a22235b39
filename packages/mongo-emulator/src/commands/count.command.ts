import { matchingRecords, orderMatches } from '../query/find-documents.js';
import { collectionArg, countArg, docArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/** count: `{ n }` for a query with optional skip and limit (not allowed in transactions). */
export const countCommand: CommandDefinition = {
  names: ['count'],
  handler: (ctx) => {
    const cmd = ctx.command;
    const collName = collectionArg(cmd, 'count');
    const coll = ctx.engine.collection(ctx.db, collName);
    const query = docArg(cmd, 'query', 'count');
    const limit = typeof cmd.limit === 'number' ? Math.abs(cmd.limit) : undefined;
    const skip = countArg(cmd, 'skip', 'count');
    if (!query && !skip && !limit) {
      let n = 0;
      if (coll) n = matchingRecords(coll, ctx.view, undefined).length;
      return { n };
    }
    return { n: orderMatches(matchingRecords(coll, ctx.view, query), { skip, limit }).length };
  },
};
