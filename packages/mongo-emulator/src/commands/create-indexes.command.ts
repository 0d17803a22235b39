import type { Doc } from '../bson/bson-types.js';
import { classifyIndex, parseIndexSpec } from '../engine/index-options.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { collectionArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/**
 * createIndexes: builds each new index over the existing documents (a unique index over
 * duplicate data fails with E11000). Reply: `{ numIndexesBefore, numIndexesAfter,
 * createdCollectionAutomatically }`, or a note when every index already exists.
 */
export const createIndexesCommand: CommandDefinition = {
  names: ['createIndexes'],
  inTransaction: true,
  handler: (ctx) => {
    const collName = collectionArg(ctx.command, 'createIndexes');
    const raw = ctx.command.indexes;
    if (!Array.isArray(raw) || raw.length === 0) fail(ErrorCode.BadValue, 'Must specify at least one index to create');
    const specs = raw.map(parseIndexSpec);
    const { coll, created } = ctx.engine.ensureCollection(ctx.db, collName, ctx.view);
    if (ctx.txn && coll.pendingCreator !== ctx.txn) {
      fail(
        ErrorCode.OperationNotSupportedInTransaction,
        `Cannot create new indexes on existing collection ${coll.ns} in a multi-document transaction.`,
      );
    }
    const before = coll.indexes.length + 1;
    for (const spec of specs) {
      if (classifyIndex(spec, coll.specs()) === 'exists') continue;
      coll.addIndex(spec);
      // Inside a transaction the index is the transaction's until it commits.
      if (ctx.txn) coll.pendingIndexes.set(spec.name, ctx.txn);
    }
    const after = coll.indexes.length + 1;
    const reply: Doc = { numIndexesBefore: before, numIndexesAfter: after };
    if (before === after) reply.note = 'all indexes already exist';
    else reply.createdCollectionAutomatically = created;
    return reply;
  },
};
