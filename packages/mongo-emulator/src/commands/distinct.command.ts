import { compareValues, valuesEqual } from '../bson/bson-compare.js';
import { splitPath, valuesAtPath } from '../bson/field-path.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { matchingRecords } from '../query/find-documents.js';
import { collectionArg, docArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/** distinct: `{ values }`, array fields contributing their elements, as on mongod. */
export const distinctCommand: CommandDefinition = {
  names: ['distinct'],
  inTransaction: true,
  handler: (ctx) => {
    const cmd = ctx.command;
    const collName = collectionArg(cmd, 'distinct');
    if (typeof cmd.key !== 'string') fail(ErrorCode.FailedToParse, "BSON field 'distinct.key' is missing but a required field");
    const parts = splitPath(cmd.key);
    const values: unknown[] = [];
    const add = (v: unknown): void => {
      if (v === undefined) return;
      if (!values.some((x) => valuesEqual(x, v))) values.push(v);
    };
    for (const { doc } of matchingRecords(ctx.engine.collection(ctx.db, collName), ctx.view, docArg(cmd, 'query', 'distinct'))) {
      for (const v of valuesAtPath(doc, parts)) {
        if (Array.isArray(v)) v.forEach(add);
        else add(v);
      }
    }
    values.sort(compareValues);
    return { values };
  },
};
