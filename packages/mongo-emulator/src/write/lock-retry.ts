import { LockWait } from '../engine/write-errors.js';
import type { ReadView } from '../engine/read-view.js';

/**
 * When a write step outside any transaction meets a document an open transaction has written,
 * mongod makes it wait until that transaction ends. Returns what to await before retrying the
 * step, or null when the error must propagate (including every error inside a transaction).
 * Steps must make no change before throwing LockWait, so a retry is safe.
 */
export function lockWaitFor(err: unknown, view: ReadView): Promise<void> | null {
  if (!(err instanceof LockWait) || view.txn) return null;
  return err.txn.finished;
}

/** Runs a synchronous write step, waiting and retrying while it is blocked by a transaction. */
export async function withLockRetry<T>(view: ReadView, step: () => T): Promise<T> {
  for (;;) {
    try {
      return step();
    } catch (err) {
      const wait = lockWaitFor(err, view);
      if (!wait) throw err;
      await wait;
    }
  }
}
