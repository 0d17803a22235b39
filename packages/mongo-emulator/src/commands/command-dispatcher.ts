import { Double, Timestamp } from 'bson';
import type { Doc } from '../bson/bson-types.js';
import type { CursorRegistry } from '../cursor/cursor-registry.js';
import { LATEST } from '../engine/read-view.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { failCommandEffects } from '../fail-points/fail-command-effects.js';
import { FailCommandPoint } from '../fail-points/fail-command-point.js';
import type { SessionRegistry } from '../session/session-registry.js';
import type { CommandContext, CommandDefinition, ConnectionInfo, ServerIdentity } from './command-context.js';
import { COMMANDS } from './command-list.js';
import { configureFailPointCommand } from './configure-fail-point.command.js';
import { runWithSession } from './session-gate.js';
import { writeConcernError } from './write-concern.js';

/** Shared server state every command runs against. */
export interface DispatcherDeps {
  engine: StorageEngine;
  cursors: CursorRegistry;
  sessions: SessionRegistry;
  identity: ServerIdentity;
  logger: (msg: string) => void;
  /** mongod's enableTestCommands: configureFailPoint exists only then. */
  enableTestCommands: boolean;
}

/**
 * Turns a command document into a reply document: finds the implementation by the command's
 * first field, applies session and transaction rules, and converts every failure into mongod's
 * error shape. Never throws.
 */
export class CommandDispatcher {
  readonly #byName = new Map<string, CommandDefinition>();
  readonly #failCommand: FailCommandPoint | null;

  constructor(private readonly deps: DispatcherDeps) {
    const commands = deps.enableTestCommands ? [...COMMANDS, configureFailPointCommand] : COMMANDS;
    for (const def of commands) for (const name of def.names) this.#byName.set(name, def);
    this.#failCommand = deps.enableTestCommands ? new FailCommandPoint() : null;
  }

  /** The reply, or null when the connection must be closed without one (a fail point). */
  async execute(command: Doc, connection: ConnectionInfo): Promise<Doc | null> {
    const name = Object.keys(command)[0] ?? '';
    try {
      const def = this.#byName.get(name);
      if (!def) throw new CommandError(ErrorCode.CommandNotFound, `no such command: '${name}'`);
      const db = command.$db;
      if (typeof db !== 'string' || db === '') {
        throw new CommandError(ErrorCode.Location40571, 'OP_MSG requests require a $db argument');
      }
      const effects = await failCommandEffects(this.#failCommand, command, db, connection.appName);
      if (effects.closeConnection) return null;
      // As on mongod, the fail point fires before the session is checked out: the transaction
      // (and retryable-write state) stays as it was, so a driver's retry of the command works.
      if (effects.error) throw effects.error;
      const ctx: CommandContext = {
        ...this.deps,
        connectionId: connection.id,
        failCommand: this.#failCommand,
        db,
        command,
        session: this.deps.sessions.get(command.lsid),
        txn: null,
        view: LATEST,
        deadline: typeof command.maxTimeMS === 'number' && command.maxTimeMS > 0 ? Date.now() + command.maxTimeMS : null,
      };
      const reply = await runWithSession(ctx, def, name, async () => def.handler(ctx));
      const wce = writeConcernError(command);
      return effects.decorate({
        ...reply,
        ...(wce ? { writeConcernError: wce } : {}),
        ok: new Double(1),
        operationTime: this.#operationTime(),
      });
    } catch (err) {
      if (err instanceof CommandError) return { ...err.toReply(), operationTime: this.#operationTime() };
      this.deps.logger(`mongo-emulator: internal error in '${name}': ${(err as Error).stack ?? String(err)}`);
      return new CommandError(ErrorCode.InternalError, `internal error: ${(err as Error).message}`).toReply();
    }
  }

  /**
   * mongod's operationTime: the cluster time of the latest write the reply may reflect. Drivers
   * keep it per causally consistent session and send it back as readConcern.afterClusterTime,
   * which the emulator satisfies trivially (one node, reads see every commit).
   */
  #operationTime(): Timestamp {
    return new Timestamp({ t: Math.floor(this.deps.identity.startedAt.getTime() / 1000), i: this.deps.engine.latest() });
  }
}
