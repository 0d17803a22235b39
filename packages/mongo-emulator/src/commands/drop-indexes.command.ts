import { isPlainObject } from '../bson/bson-types.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { collectionArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/** dropIndexes: by name, key pattern, list of names or "*" (all but `_id_`). */
export const dropIndexesCommand: CommandDefinition = {
  names: ['dropIndexes', 'deleteIndexes'],
  handler: (ctx) => {
    const cmd = ctx.command;
    const collName = collectionArg(cmd, Object.keys(cmd)[0] as string);
    const coll = ctx.engine.collection(ctx.db, collName);
    if (!coll) fail(ErrorCode.NamespaceNotFound, `ns not found ${ctx.db}.${collName}`);
    const nIndexesWas = coll.indexes.length + 1;
    const target = cmd.index;
    let names: string[];
    if (target === '*') names = coll.indexes.map((i) => i.spec.name);
    else if (typeof target === 'string') names = [target];
    else if (Array.isArray(target)) names = target.map(String);
    else if (isPlainObject(target)) {
      const wanted = JSON.stringify(target);
      const found = coll.specs().find((s) => JSON.stringify(s.key) === wanted);
      if (!found) fail(ErrorCode.IndexNotFound, `can't find index with key: ${JSON.stringify(target)}`);
      names = [found.name];
    } else fail(ErrorCode.TypeMismatch, "BSON field 'dropIndexes.index' is the wrong type");
    for (const name of names) {
      if (name === '_id_') fail(ErrorCode.InvalidOptions, 'cannot drop _id index');
      if (!coll.specs().some((s) => s.name === name)) fail(ErrorCode.IndexNotFound, `index not found with name [${name}]`);
    }
    for (const name of names) coll.dropIndex(name);
    return { nIndexesWas };
  },
};
