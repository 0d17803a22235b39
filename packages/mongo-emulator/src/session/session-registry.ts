import { Binary } from 'bson';
import { isPlainObject } from '../bson/bson-types.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { ServerSession } from './server-session.js';

/** mongod's default: sessions idle for 30 minutes are forgotten. */
export const LOGICAL_SESSION_TIMEOUT_MINUTES = 30;

/** mongod's transactionLifetimeLimitSeconds default: older transactions are aborted. */
export const TRANSACTION_LIFETIME_MS = 60_000;

/** Sessions by lsid. Ending a session aborts its open transaction, as in mongod. */
export class SessionRegistry {
  readonly #sessions = new Map<string, ServerSession>();
  /** transactionLifetimeLimitSeconds, in ms; changed at run time by `setParameter`. */
  transactionLifetimeMs = TRANSACTION_LIFETIME_MS;

  constructor(private readonly engine: StorageEngine) {}

  /** The session for an `lsid` document, created on first use. */
  get(lsid: unknown): ServerSession | null {
    const id = sessionKey(lsid);
    if (id === null) return null;
    let session = this.#sessions.get(id);
    if (!session) {
      session = new ServerSession(id);
      this.#sessions.set(id, session);
    }
    session.lastUse = Date.now();
    return session;
  }

  /** Ends sessions (endSessions command). */
  end(lsids: unknown[]): void {
    for (const lsid of lsids) {
      const id = sessionKey(lsid);
      if (id === null) continue;
      const session = this.#sessions.get(id);
      if (session) this.abortOpen(session, null);
      this.#sessions.delete(id);
    }
  }

  /** Aborts the session's open transaction, if any. */
  abortOpen(session: ServerSession, reason: string | null): void {
    if (session.txn && session.phase === 'active') {
      this.engine.abort(session.txn);
      session.phase = 'aborted';
      session.abortReason = reason;
    }
  }

  /** The live sessions, for `$listLocalSessions`. */
  list(): ServerSession[] {
    return [...this.#sessions.values()];
  }

  /** Aborts transactions past their lifetime and forgets idle sessions. */
  sweep(now: number): void {
    for (const [id, session] of this.#sessions) {
      if (session.phase === 'active' && session.txn && now - session.txn.startedAt > this.transactionLifetimeMs) {
        this.abortOpen(session, 'transaction exceeded its lifetime limit');
      }
      if (now - session.lastUse > LOGICAL_SESSION_TIMEOUT_MINUTES * 60_000) {
        this.abortOpen(session, null);
        this.#sessions.delete(id);
      }
    }
  }

  /** Aborts every open transaction (server shutdown). */
  abortAll(): void {
    for (const session of this.#sessions.values()) this.abortOpen(session, 'server shutting down');
  }
}

/** Hex of the lsid UUID; null when the command carries no usable lsid. */
function sessionKey(lsid: unknown): string | null {
  if (!isPlainObject(lsid)) return null;
  const id = lsid.id;
  if (!(id instanceof Binary)) return null;
  return Buffer.from(id.buffer.subarray(0, id.position)).toString('hex');
}
