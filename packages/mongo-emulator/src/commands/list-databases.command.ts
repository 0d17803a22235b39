import { Query } from 'mingo';
import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { QUERY_OPTIONS } from '../query/mingo-options.js';
import type { CommandDefinition } from './command-context.js';

/** listDatabases: databases holding at least one collection; sizes are rough in-memory counts. */
export const listDatabasesCommand: CommandDefinition = {
  names: ['listDatabases'],
  handler: (ctx) => {
    const cmd = ctx.command;
    let databases: Doc[] = ctx.engine.databaseNames().map((name) => {
      const docs = ctx.engine.collections(name).reduce((n, c) => n + c.records.size, 0);
      return { name, sizeOnDisk: docs * 100 + 4096, empty: docs === 0 };
    });
    if (isPlainObject(cmd.filter)) {
      const q = new Query(cmd.filter, QUERY_OPTIONS);
      databases = databases.filter((d) => q.test(d));
    }
    if (cmd.nameOnly === true) return { databases: databases.map((d) => ({ name: d.name })) };
    const totalSize = databases.reduce((n, d) => n + (d.sizeOnDisk as number), 0);
    return { databases, totalSize, totalSizeMb: Math.floor(totalSize / 1024 / 1024) };
  },
};
