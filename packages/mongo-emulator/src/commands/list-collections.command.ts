import { Query } from 'mingo';
import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { cursorReply } from '../cursor/cursor-registry.js';
import { QUERY_OPTIONS } from '../query/mingo-options.js';
import type { CommandDefinition } from './command-context.js';

/** listCollections: one entry per collection in mongod's shape, filterable, as a cursor. */
export const listCollectionsCommand: CommandDefinition = {
  names: ['listCollections'],
  inTransaction: true,
  handler: (ctx) => {
    const cmd = ctx.command;
    const nameOnly = cmd.nameOnly === true;
    let entries: Doc[] = ctx.engine
      .collections(ctx.db)
      .filter((c) => c.visibleTo(ctx.view))
      .map((c) =>
        nameOnly
          ? { name: c.name, type: 'collection' }
          : {
              name: c.name,
              type: 'collection',
              options: {},
              info: { readOnly: false, uuid: c.uuid },
              idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
            },
      );
    if (isPlainObject(cmd.filter) && Object.keys(cmd.filter).length > 0) {
      const q = new Query(cmd.filter, QUERY_OPTIONS);
      entries = entries.filter((e) => q.test(e));
    }
    const cursor = isPlainObject(cmd.cursor) ? cmd.cursor : {};
    const batchSize = typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
    return cursorReply(ctx.cursors.open(`${ctx.db}.$cmd.listCollections`, entries, batchSize), 'firstBatch');
  },
};
