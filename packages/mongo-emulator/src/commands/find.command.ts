import { cursorReply } from '../cursor/cursor-registry.js';
import { findDocuments } from '../query/find-documents.js';
import { collectionArg, countArg, docArg, letArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/** find: filter, sort, projection, skip, limit, batchSize, singleBatch → a cursor. */
export const findCommand: CommandDefinition = {
  names: ['find'],
  inTransaction: true,
  handler: (ctx) => {
    const cmd = ctx.command;
    const collName = collectionArg(cmd, 'find');
    const limit = typeof cmd.limit === 'number' ? cmd.limit : undefined;
    const docs = findDocuments(ctx.engine.collection(ctx.db, collName), ctx.view, docArg(cmd, 'filter', 'find'), {
      sort: docArg(cmd, 'sort', 'find'),
      projection: docArg(cmd, 'projection', 'find'),
      skip: countArg(cmd, 'skip', 'find'),
      limit: limit === undefined ? undefined : Math.abs(limit),
      variables: letArg(cmd, 'find'),
    });
    const singleBatch = cmd.singleBatch === true || (limit !== undefined && limit < 0);
    const batch = ctx.cursors.open(`${ctx.db}.${collName}`, docs, countArg(cmd, 'batchSize', 'find'), singleBatch);
    return cursorReply(batch, 'firstBatch');
  },
};
