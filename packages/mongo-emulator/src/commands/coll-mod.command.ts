import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { collectionArg } from './command-args.js';
import type { CommandDefinition } from './command-context.js';

/**
 * collMod, index form only: `{ collMod: coll, index: { name | keyPattern, expireAfterSeconds } }`
 * changes a TTL index's expiry (createIndexes refuses changed options, so this is how a new TTL
 * is applied). Reply: `{ expireAfterSeconds_old, expireAfterSeconds_new }`.
 */
export const collModCommand: CommandDefinition = {
  names: ['collMod'],
  handler: (ctx) => {
    const cmd = ctx.command;
    const collName = collectionArg(cmd, 'collMod');
    const unsupported = Object.keys(cmd).filter(
      (k) => !['collMod', 'index', '$db', 'lsid', 'writeConcern', 'comment', '$clusterTime', '$readPreference'].includes(k),
    );
    if (unsupported.length > 0)
      fail(ErrorCode.IllegalOperation, `collMod options ${unsupported.join(', ')} are not supported by the mongo emulator`);
    const coll = ctx.engine.collection(ctx.db, collName);
    if (!coll) fail(ErrorCode.NamespaceNotFound, `ns does not exist: ${ctx.db}.${collName}`);
    const change = cmd.index;
    if (!isPlainObject(change)) return {};
    const index = coll.indexes.find((i) =>
      typeof change.name === 'string' ? i.spec.name === change.name : JSON.stringify(i.spec.key) === JSON.stringify(change.keyPattern),
    );
    if (!index)
      fail(ErrorCode.IndexNotFound, `cannot find index ${String(change.name ?? JSON.stringify(change.keyPattern))} for ns ${coll.ns}`);
    const reply: Doc = {};
    if (change.expireAfterSeconds !== undefined) {
      const seconds = change.expireAfterSeconds;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        fail(ErrorCode.InvalidOptions, `TTL index 'expireAfterSeconds' option must be a non-negative number: ${String(seconds)}`);
      }
      if (index.fields.length > 1)
        fail(ErrorCode.InvalidOptions, 'TTL indexes are single-field indexes, compound indexes do not support TTL');
      const old = index.spec.expireAfterSeconds;
      index.spec.expireAfterSeconds = seconds;
      if (old !== seconds) {
        if (old !== undefined) reply.expireAfterSeconds_old = old;
        reply.expireAfterSeconds_new = seconds;
      }
    }
    return reply;
  },
};
