import { Binary } from 'bson';
import { describe, expect, it } from 'vitest';
import { StorageEngine } from '../engine/storage-engine.js';
import { SessionRegistry, TRANSACTION_LIFETIME_MS } from './session-registry.js';

const lsid = (n: number) => ({ id: new Binary(Buffer.alloc(16, n), 4) });

function openTransaction(registry: SessionRegistry, engine: StorageEngine, n: number) {
  const session = registry.get(lsid(n));
  if (!session) throw new Error('no session');
  session.txn = engine.begin();
  session.phase = 'active';
  return session;
}

describe('SessionRegistry', () => {
  it('returns one session per lsid and none without an lsid', () => {
    const registry = new SessionRegistry(new StorageEngine());
    expect(registry.get(lsid(1))).toBe(registry.get(lsid(1)));
    expect(registry.get(lsid(1))).not.toBe(registry.get(lsid(2)));
    expect(registry.get(undefined)).toBeNull();
  });

  it("aborts transactions past mongod's 60 s lifetime limit, and only those", () => {
    const engine = new StorageEngine();
    const registry = new SessionRegistry(engine);
    const session = openTransaction(registry, engine, 1);
    const txn = session.txn;
    registry.sweep(Date.now() + TRANSACTION_LIFETIME_MS / 2);
    expect(session.phase).toBe('active');
    registry.sweep(Date.now() + TRANSACTION_LIFETIME_MS + 1000);
    expect(session.phase).toBe('aborted');
    expect(txn?.state).toBe('aborted');
    expect(engine.activeTransactions()).toHaveLength(0);
  });

  it('endSessions aborts the open transaction and forgets the session', () => {
    const engine = new StorageEngine();
    const registry = new SessionRegistry(engine);
    const session = openTransaction(registry, engine, 3);
    const txn = session.txn;
    registry.end([lsid(3)]);
    expect(txn?.state).toBe('aborted');
    expect(registry.get(lsid(3))).not.toBe(session);
  });
});
