import { collectionArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/** drop: `{ nIndexesWas, ns }`; dropping a missing collection succeeds, as on MongoDB 7.0. */
export const dropCommand: CommandDefinition = {
  names: ['drop'],
  handler: (ctx) => {
    const name = collectionArg(ctx.command, 'drop');
    const coll = ctx.engine.dropCollection(ctx.db, name);
    if (!coll) return {};
    ctx.cursors.killNamespace(coll.ns);
    return { nIndexesWas: coll.indexes.length + 1, ns: coll.ns };
  },
};

/** dropDatabase: `{ dropped }`. */
export const dropDatabaseCommand: CommandDefinition = {
  names: ['dropDatabase'],
  handler: (ctx) => {
    ctx.engine.dropDatabase(ctx.db);
    ctx.cursors.killNamespace(ctx.db);
    return { dropped: ctx.db };
  },
};
