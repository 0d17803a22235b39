import type { ReadView } from '../engine/read-view.js';
import { LockWait } from '../engine/write-errors.js';
import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';

/** Who is waiting: the operation's view and its maxTimeMS deadline (epoch ms), if any. */
export interface LockWaiter {
  view: ReadView;
  deadline: number | null;
}

/**
 * When a write step outside any transaction meets a document an open transaction has written,
 * mongod makes it wait until that transaction ends (or until the command's maxTimeMS, then
 * MaxTimeMSExpired, 50). Returns what to await before retrying the step, or null when the error
 * must propagate (including every error inside a transaction). Steps must make no change before
 * throwing LockWait, so a retry is safe.
 */
export function lockWaitFor(err: unknown, waiter: LockWaiter): Promise<void> | null {
  if (!(err instanceof LockWait) || waiter.view.txn) return null;
  const { deadline } = waiter;
  if (deadline === null) return err.txn.finished;
  const left = deadline - Date.now();
  if (left <= 0) return Promise.reject(maxTimeExpired());
  const finished = err.txn.finished;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(maxTimeExpired()), left);
    void finished.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Runs a synchronous write step, waiting and retrying while it is blocked by a transaction. */
export async function withLockRetry<T>(waiter: LockWaiter, step: () => T): Promise<T> {
  for (;;) {
    try {
      return step();
    } catch (err) {
      const wait = lockWaitFor(err, waiter);
      if (!wait) throw err;
      await wait;
    }
  }
}

function maxTimeExpired(): CommandError {
  return new CommandError(ErrorCode.MaxTimeMSExpired, 'operation exceeded time limit');
}
