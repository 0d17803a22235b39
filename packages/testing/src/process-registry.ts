/**
 * Everything a fixture started and must not outlive the test process: child processes,
 * in-process servers, temporary directories.
 *
 * Invariant: a test run leaves no orphan redis-server, emulator or app behind, even when a test
 * forgets to stop it or the runner exits early. Graceful stops happen in `stopAll()` (tests call
 * it in `afterAll`); the `exit` hook is the safety net and can only act synchronously, so it
 * SIGKILLs and deletes.
 */

/** One resource a fixture owns. */
export interface TrackedResource {
  /** Shown in logs and errors, e.g. `redis:6380`. */
  readonly name: string;
  /** Graceful, complete teardown; must be idempotent. */
  stop(): Promise<void>;
  /** Last-resort teardown from the `exit` hook: synchronous only (SIGKILL, rmSync). */
  killSync(): void;
}

const resources = new Set<TrackedResource>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let hooksInstalled = false;

/**
 * Registers a resource; returns the function that unregisters it (call it once the resource is
 * stopped for good).
 */
export function track(resource: TrackedResource): () => void {
  installHooks();
  resources.add(resource);
  return () => resources.delete(resource);
}

/**
 * Stops every resource the fixtures of this process started, newest first, so apps stop before
 * the Redis and MongoDB they use. Errors are collected and thrown together after all stops ran.
 */
export async function stopAll(): Promise<void> {
  const errors: unknown[] = [];
  for (const resource of [...resources].reverse()) {
    try {
      await resource.stop();
    } catch (error) {
      errors.push(error);
    }
    resources.delete(resource);
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `stopAll: ${errors.length} resources failed to stop`);
}

function killAllSync(): void {
  for (const resource of [...resources].reverse()) {
    try {
      resource.killSync();
    } catch {
      // Best effort: the process is exiting and nothing can report this error any more.
    }
  }
  resources.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', killAllSync);
  for (const signal of SIGNALS) process.on(signal, () => onSignal(signal));
}

/**
 * A listener on a signal replaces Node's default "terminate". When ours is the only one, nobody
 * else owns the signal (plain test run, Ctrl-C in vitest): clean up and re-raise it so the
 * process still dies the default way. When someone else listens (an orderly
 * shutdown, vitest's own handling), they decide, and the `exit` hook still runs afterwards.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killAllSync();
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}
