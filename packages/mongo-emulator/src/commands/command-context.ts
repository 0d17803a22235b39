import type { Doc } from '../bson/bson-types.js';
import type { CursorRegistry } from '../cursor/cursor-registry.js';
import type { ReadView } from '../engine/read-view.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import type { Transaction } from '../engine/transaction.js';
import type { FailCommandPoint } from '../fail-points/fail-command-point.js';
import type { ServerSession } from '../session/server-session.js';
import type { SessionRegistry } from '../session/session-registry.js';

/** Identity the server advertises in hello (the replica-set member clients connect to). */
export interface ServerIdentity {
  /** `host:port` as clients address it; also the replica set's only member. */
  me: string;
  /** Replica-set name; null when the emulator plays a standalone mongod (no transactions). */
  setName: string | null;
  startedAt: Date;
}

/** The client connection a command arrived on. */
export interface ConnectionInfo {
  id: number;
  /** `client.application.name` from the connection's handshake (the driver's `appName`). */
  appName?: string;
}

/** Everything a command implementation may use. */
export interface CommandContext {
  engine: StorageEngine;
  cursors: CursorRegistry;
  sessions: SessionRegistry;
  identity: ServerIdentity;
  connectionId: number;
  /** The `failCommand` fail point; null unless test commands are enabled. */
  failCommand: FailCommandPoint | null;
  /** Database from `$db`. */
  db: string;
  command: Doc;
  session: ServerSession | null;
  /** The transaction this command runs in, if any. */
  txn: Transaction | null;
  view: ReadView;
  /** When the command's maxTimeMS runs out (epoch ms), or null without maxTimeMS. */
  deadline: number | null;
}

/** A command implementation. */
export type CommandHandler = (ctx: CommandContext) => Doc | Promise<Doc>;

/** How the dispatcher treats a command. */
export interface CommandDefinition {
  /** Names the command answers to (first field of the command document). */
  names: string[];
  handler: CommandHandler;
  /** A write that may be retried with the same lsid + txnNumber. */
  retryableWrite?: boolean;
  /** May run inside a multi-document transaction. */
  inTransaction?: boolean;
}
