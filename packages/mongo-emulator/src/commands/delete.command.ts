import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { runDeleteStatement } from '../write/delete-statement.js';
import { withLockRetry } from '../write/lock-retry.js';
import { collectionArg, docsArg, letArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';
import { isStatementError } from './write-error-policy.js';

/** delete: `{ n, writeErrors? }`; each statement has `q` and `limit` (0 = all, 1 = one). */
export const deleteCommand: CommandDefinition = {
  names: ['delete'],
  retryableWrite: true,
  inTransaction: true,
  handler: async (ctx) => {
    const collName = collectionArg(ctx.command, 'delete');
    const statements = docsArg(ctx.command, 'deletes', 'delete');
    const ordered = ctx.command.ordered !== false;
    const variables = letArg(ctx.command, 'delete');
    let n = 0;
    const writeErrors: Doc[] = [];
    for (let i = 0; i < statements.length; i++) {
      try {
        const raw = statements[i];
        if (!isPlainObject(raw)) fail(ErrorCode.FailedToParse, 'delete statement must be an object');
        const filter = isPlainObject(raw.q) ? raw.q : {};
        const limit = raw.limit === 1 ? 1 : 0;
        const done = new Set<string>();
        const r = await withLockRetry(ctx, () =>
          runDeleteStatement(ctx.engine, ctx.db, collName, ctx.view, filter, limit, done, undefined, variables),
        );
        n += r.n;
      } catch (err) {
        if (!isStatementError(err, ctx)) throw err;
        writeErrors.push(err.toWriteError(i));
        if (ordered) break;
      }
    }
    return writeErrors.length > 0 ? { n, writeErrors } : { n };
  },
};
