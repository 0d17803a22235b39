import type { Doc } from '../bson/bson-types.js';
import { checkInsertSize, prepareForInsert } from '../write/insert-document.js';
import { lockWaitFor } from '../write/lock-retry.js';
import { collectionArg, docsArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';
import { isStatementError } from './write-error-policy.js';

/** insert: `{ n, writeErrors? }`; ordered inserts stop at the first error. */
export const insertCommand: CommandDefinition = {
  names: ['insert'],
  retryableWrite: true,
  inTransaction: true,
  handler: async (ctx) => {
    const collName = collectionArg(ctx.command, 'insert');
    const docs = docsArg(ctx.command, 'documents', 'insert');
    const ordered = ctx.command.ordered !== false;
    const { coll } = ctx.engine.ensureCollection(ctx.db, collName, ctx.view);
    let n = 0;
    const writeErrors: Doc[] = [];
    for (let i = 0; i < docs.length; i++) {
      try {
        const doc = prepareForInsert(docs[i]);
        checkInsertSize(doc);
        for (;;) {
          try {
            coll.insert(doc, ctx.view);
            break;
          } catch (err) {
            const wait = lockWaitFor(err, ctx);
            if (!wait) throw err;
            await wait;
          }
        }
        n++;
      } catch (err) {
        if (!isStatementError(err, ctx)) throw err;
        writeErrors.push(err.toWriteError(i));
        if (ordered) break;
      }
    }
    return writeErrors.length > 0 ? { n, writeErrors } : { n };
  },
};
