import { createHash } from 'node:crypto';
import { Binary } from 'bson';
import { Aggregator } from 'mingo';
import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { cursorReply } from '../cursor/cursor-registry.js';
import { visibleDoc } from '../engine/document-record.js';
import { CommandError, fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { matchingRecords } from '../query/find-documents.js';
import { PIPELINE_OPTIONS } from '../query/mingo-options.js';
import { letArg } from './command-args.js';
import type { CommandContext, CommandDefinition } from './command-context.js';

/** Stages that write or inspect the server; mingo cannot run them against this store. */
const UNSUPPORTED = new Set(['$out', '$merge', '$collStats', '$indexStats', '$currentOp', '$changeStream', '$listSessions']);

/**
 * aggregate: runs the pipeline with mingo over the documents the command's view sees. A leading
 * `$match` is answered through the indexes first. `$lookup` reads collections of the same
 * database through the same view.
 */
export const aggregateCommand: CommandDefinition = {
  names: ['aggregate'],
  inTransaction: true,
  handler: (ctx) => {
    const cmd = ctx.command;
    const pipeline = cmd.pipeline;
    if (!Array.isArray(pipeline)) fail(ErrorCode.TypeMismatch, "'pipeline' option must be specified as an array");
    for (const stage of pipeline as Doc[]) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (name && UNSUPPORTED.has(name)) fail(ErrorCode.IllegalOperation, `${name} is not supported by the mongo emulator`);
    }
    if (cmd.explain === true) fail(ErrorCode.IllegalOperation, 'explain is not supported by the mongo emulator');
    const collName = typeof cmd.aggregate === 'string' ? cmd.aggregate : null;
    let input: Doc[] = [];
    let stages = pipeline as Doc[];
    if (!collName && isPlainObject(stages[0]) && '$listLocalSessions' in stages[0]) {
      if (ctx.db !== 'admin')
        fail(ErrorCode.InvalidNamespace, '$listLocalSessions must be run against the admin database with {aggregate: 1}');
      input = localSessions(ctx);
      stages = stages.slice(1);
    } else if (collName) {
      const first = stages[0];
      const coll = ctx.engine.collection(ctx.db, collName);
      if (first && isPlainObject(first.$match) && !('$expr' in first.$match)) {
        input = matchingRecords(coll, ctx.view, first.$match, letArg(cmd, 'aggregate')).map((m) => m.doc);
        stages = stages.slice(1);
      } else {
        input = matchingRecords(coll, ctx.view, undefined).map((m) => m.doc);
      }
    }
    const docs = runPipeline(ctx, stages, input);
    const cursor = isPlainObject(cmd.cursor) ? cmd.cursor : {};
    const batchSize = typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
    const ns = collName ? `${ctx.db}.${collName}` : `${ctx.db}.$cmd.aggregate`;
    return cursorReply(ctx.cursors.open(ns, docs, batchSize), 'firstBatch');
  },
};

/**
 * `$listLocalSessions`: the sessions this server holds, in mongod's shape. Without
 * authentication every session belongs to the same (empty) user, whose uid is SHA-256 of ''.
 */
function localSessions(ctx: CommandContext): Doc[] {
  const uid = new Binary(createHash('sha256').update('').digest(), 0);
  return ctx.sessions.list().map((s) => ({ _id: { id: new Binary(Buffer.from(s.id, 'hex'), 4), uid }, lastUse: new Date(s.lastUse) }));
}

function runPipeline(ctx: CommandContext, stages: Doc[], input: Doc[]): Doc[] {
  if (stages.length === 0) return input;
  try {
    const variables = letArg(ctx.command, 'aggregate');
    const aggregator = new Aggregator(stages, {
      ...PIPELINE_OPTIONS,
      ...(variables ? { variables } : {}),
      collectionResolver: (name: string) => {
        const coll = ctx.engine.collection(ctx.db, name);
        if (!coll) return [];
        const out: Doc[] = [];
        for (const rec of coll.records.values()) {
          const doc = visibleDoc(rec, ctx.view);
          if (doc) out.push(doc);
        }
        return out;
      },
    });
    return aggregator.run<Doc>(input);
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw new CommandError(ErrorCode.BadValue, (err as Error).message);
  }
}
