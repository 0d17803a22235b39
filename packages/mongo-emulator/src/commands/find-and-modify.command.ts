import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { project } from '../query/find-documents.js';
import { compileUpdate } from '../update/update-spec.js';
import { runDeleteStatement } from '../write/delete-statement.js';
import { withLockRetry } from '../write/lock-retry.js';
import { runUpdateStatement } from '../write/update-statement.js';
import { collectionArg, docArg, letArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/**
 * findAndModify: updates (optionally upserting) or removes the first document matching
 * `query` in `sort` order. Reply: `{ lastErrorObject: { n, updatedExisting, upserted? }, value }`.
 */
export const findAndModifyCommand: CommandDefinition = {
  names: ['findAndModify', 'findandmodify'],
  retryableWrite: true,
  inTransaction: true,
  handler: async (ctx) => {
    const cmd = ctx.command;
    const collName = collectionArg(cmd, Object.keys(cmd)[0] as string);
    const query = docArg(cmd, 'query', 'findAndModify') ?? {};
    const sort = docArg(cmd, 'sort', 'findAndModify');
    const variables = letArg(cmd, 'findAndModify');
    const fields = docArg(cmd, 'fields', 'findAndModify');
    const remove = cmd.remove === true;
    if (remove && cmd.update !== undefined) fail(ErrorCode.FailedToParse, 'Cannot specify both an update and remove=true');
    if (!remove && cmd.update === undefined) fail(ErrorCode.FailedToParse, 'Either an update or remove=true must be specified');
    if (remove) {
      if (cmd.upsert === true) fail(ErrorCode.FailedToParse, 'Cannot specify both upsert=true and remove=true');
      const done = new Set<string>();
      const r = await withLockRetry(ctx, () => runDeleteStatement(ctx.engine, ctx.db, collName, ctx.view, query, 1, done, sort, variables));
      return { lastErrorObject: { n: r.n }, value: shape(r.deleted, fields) };
    }
    const update = compileUpdate(cmd.update);
    const done = new Set<string>();
    const stmt = { filter: query, update, upsert: cmd.upsert === true, multi: false, sort, variables };
    const r = await withLockRetry(ctx, () => runUpdateStatement(ctx.engine, ctx.db, collName, ctx.view, stmt, done));
    const lastErrorObject: Doc = { n: r.n, updatedExisting: r.n > 0 && r.upsertedId === undefined };
    if (r.upsertedId !== undefined) lastErrorObject.upserted = r.upsertedId;
    const value = cmd.new === true ? r.after : r.upsertedId !== undefined ? null : r.before;
    return { lastErrorObject, value: shape(value ?? null, fields) };
  },
};

function shape(doc: Doc | null | undefined, fields: Doc | undefined): Doc | null {
  if (!doc) return null;
  if (!fields || !isPlainObject(fields)) return doc;
  return project([doc], fields)[0] ?? null;
}
