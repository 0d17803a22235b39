import { ObjectId } from 'bson';
import type { Doc } from '../bson/bson-types.js';
import { LOGICAL_SESSION_TIMEOUT_MINUTES } from '../session/session-registry.js';
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE_BYTES, MAX_WRITE_BATCH_SIZE } from '../wire/opcodes.js';
import type { CommandContext, CommandDefinition } from './command-context.js';

/** MongoDB 7.0's wire version. */
export const MAX_WIRE_VERSION = 21;

/** Fixed election id: the emulator is a one-member replica set that never holds an election. */
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

/**
 * hello / isMaster: presents the emulator as the primary of a one-member replica set, which
 * is what makes driver 7 use sessions, retryable writes and transactions. topologyVersion is
 * left out on purpose, so drivers poll instead of using the streaming (awaitable) protocol.
 * In standalone mode the replica-set fields are left out, as a standalone mongod does.
 */
export function helloReply(ctx: Pick<CommandContext, 'identity' | 'connectionId' | 'command'>, legacy: boolean): Doc {
  const { me, setName } = ctx.identity;
  const reply: Doc = {};
  if (ctx.command.helloOk === true) reply.helloOk = true;
  if (setName !== null) {
    reply.hosts = [me];
    reply.setName = setName;
    reply.setVersion = 1;
  }
  reply[legacy ? 'ismaster' : 'isWritablePrimary'] = true;
  if (setName !== null) {
    reply.secondary = false;
    reply.primary = me;
    reply.me = me;
    reply.electionId = ELECTION_ID;
  }
  reply.maxBsonObjectSize = MAX_BSON_OBJECT_SIZE;
  reply.maxMessageSizeBytes = MAX_MESSAGE_SIZE_BYTES;
  reply.maxWriteBatchSize = MAX_WRITE_BATCH_SIZE;
  reply.localTime = new Date();
  reply.logicalSessionTimeoutMinutes = LOGICAL_SESSION_TIMEOUT_MINUTES;
  reply.connectionId = ctx.connectionId;
  reply.minWireVersion = 0;
  reply.maxWireVersion = MAX_WIRE_VERSION;
  reply.readOnly = false;
  return reply;
}

export const helloCommand: CommandDefinition = {
  names: ['hello'],
  inTransaction: true,
  handler: (ctx) => helloReply(ctx, false),
};

export const isMasterCommand: CommandDefinition = {
  names: ['isMaster', 'ismaster'],
  inTransaction: true,
  handler: (ctx) => helloReply(ctx, true),
};
