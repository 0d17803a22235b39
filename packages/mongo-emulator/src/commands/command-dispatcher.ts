import { Double } from 'bson';
import type { Doc } from '../bson/bson-types.js';
import type { CursorRegistry } from '../cursor/cursor-registry.js';
import { LATEST } from '../engine/read-view.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { SessionRegistry } from '../session/session-registry.js';
import type { CommandContext, CommandDefinition, ServerIdentity } from './command-context.js';
import { COMMANDS } from './command-list.js';
import { runWithSession } from './session-gate.js';

/** Shared server state every command runs against. */
export interface DispatcherDeps {
  engine: StorageEngine;
  cursors: CursorRegistry;
  sessions: SessionRegistry;
  identity: ServerIdentity;
  logger: (msg: string) => void;
}

/**
 * Turns a command document into a reply document: finds the implementation by the command's
 * first field, applies session and transaction rules, and converts every failure into mongod's
 * error shape. Never throws.
 */
export class CommandDispatcher {
  readonly #byName = new Map<string, CommandDefinition>();

  constructor(private readonly deps: DispatcherDeps) {
    for (const def of COMMANDS) for (const name of def.names) this.#byName.set(name, def);
  }

  async execute(command: Doc, connectionId: number): Promise<Doc> {
    const name = Object.keys(command)[0] ?? '';
    try {
      const def = this.#byName.get(name);
      if (!def) throw new CommandError(ErrorCode.CommandNotFound, `no such command: '${name}'`);
      const db = command.$db;
      if (typeof db !== 'string' || db === '') {
        throw new CommandError(ErrorCode.Location40571, 'OP_MSG requests require a $db argument');
      }
      const ctx: CommandContext = {
        ...this.deps,
        connectionId,
        db,
        command,
        session: this.deps.sessions.get(command.lsid),
        txn: null,
        view: LATEST,
        deadline: typeof command.maxTimeMS === 'number' && command.maxTimeMS > 0 ? Date.now() + command.maxTimeMS : null,
      };
      const reply = await runWithSession(ctx, def, name, async () => def.handler(ctx));
      return { ...reply, ok: new Double(1) };
    } catch (err) {
      if (err instanceof CommandError) return err.toReply();
      this.deps.logger(`mongo-emulator: internal error in '${name}': ${(err as Error).stack ?? String(err)}`);
      return new CommandError(ErrorCode.InternalError, `internal error: ${(err as Error).message}`).toReply();
    }
  }
}
