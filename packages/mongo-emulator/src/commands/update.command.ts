import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { compileUpdate } from '../update/update-spec.js';
import { lockWaitFor } from '../write/lock-retry.js';
import type { UpdateResult, UpdateStatement } from '../write/update-statement.js';
import { runUpdateStatement } from '../write/update-statement.js';
import { collectionArg, docsArg, letArg } from './command-args.js';
import type { CommandContext, CommandDefinition } from './command-context.js';
import { isStatementError } from './write-error-policy.js';

/** update: `{ n, nModified, upserted?: [{index, _id}], writeErrors? }`. */
export const updateCommand: CommandDefinition = {
  names: ['update'],
  retryableWrite: true,
  inTransaction: true,
  handler: async (ctx) => {
    const collName = collectionArg(ctx.command, 'update');
    const statements = docsArg(ctx.command, 'updates', 'update');
    const ordered = ctx.command.ordered !== false;
    const variables = letArg(ctx.command, 'update');
    // mongod 7.0 has no `sort` in update statements (8.0 added it): the command fails to parse,
    // as with any unknown field, before any statement runs.
    if (statements.some((s) => isPlainObject(s) && s.sort !== undefined)) {
      fail(ErrorCode.IDLUnknownField, "BSON field 'update.updates.sort' is an unknown field.");
    }
    let n = 0;
    let nModified = 0;
    const upserted: Doc[] = [];
    const writeErrors: Doc[] = [];
    for (let i = 0; i < statements.length; i++) {
      try {
        const stmt = parseStatement(statements[i], variables);
        const r = await runStatement(ctx, collName, stmt);
        n += r.n;
        nModified += r.nModified;
        if (r.upsertedId !== undefined) upserted.push({ index: i, _id: r.upsertedId });
      } catch (err) {
        if (!isStatementError(err, ctx)) throw err;
        writeErrors.push(err.toWriteError(i));
        if (ordered) break;
      }
    }
    const reply: Doc = { n, nModified };
    if (upserted.length > 0) reply.upserted = upserted;
    if (writeErrors.length > 0) reply.writeErrors = writeErrors;
    return reply;
  },
};

function parseStatement(raw: unknown, variables: Doc | undefined): UpdateStatement {
  if (!isPlainObject(raw)) fail(ErrorCode.FailedToParse, 'update statement must be an object');
  const update = compileUpdate(raw.u);
  const multi = raw.multi === true;
  if (multi && update.kind === 'replacement') {
    fail(ErrorCode.FailedToParse, 'multi update is not supported for replacement-style update');
  }
  if (Array.isArray(raw.arrayFilters) && raw.arrayFilters.length > 0) {
    fail(ErrorCode.BadValue, 'arrayFilters are not supported by the emulator');
  }
  const filter = raw.q === undefined || raw.q === null ? {} : raw.q;
  if (!isPlainObject(filter)) fail(ErrorCode.TypeMismatch, "BSON field 'update.updates.q' is the wrong type, expected type 'object'");
  return { filter, update, upsert: raw.upsert === true, multi, variables };
}

async function runStatement(ctx: CommandContext, collName: string, stmt: UpdateStatement): Promise<UpdateResult> {
  const done = new Set<string>();
  for (;;) {
    try {
      return runUpdateStatement(ctx.engine, ctx.db, collName, ctx.view, stmt, done);
    } catch (err) {
      const wait = lockWaitFor(err, ctx);
      if (!wait) throw err;
      await wait;
    }
  }
}
