import { isPlainObject } from '../bson/bson-types.js';
import { cursorReply } from '../cursor/cursor-registry.js';
import { describeIndex } from '../engine/index-spec.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { collectionArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/** listIndexes: the index specs as a cursor; NamespaceNotFound (26) for a missing collection. */
export const listIndexesCommand: CommandDefinition = {
  names: ['listIndexes'],
  inTransaction: true,
  handler: (ctx) => {
    const collName = collectionArg(ctx.command, 'listIndexes');
    const coll = ctx.engine.collection(ctx.db, collName);
    if (!coll?.visibleTo(ctx.view)) fail(ErrorCode.NamespaceNotFound, `ns does not exist: ${ctx.db}.${collName}`);
    const cursor = isPlainObject(ctx.command.cursor) ? ctx.command.cursor : {};
    const batchSize = typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
    return cursorReply(ctx.cursors.open(`${coll.ns}`, coll.visibleSpecs(ctx.view).map(describeIndex), batchSize), 'firstBatch');
  },
};
