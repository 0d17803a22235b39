import { type ChildExit, formatExit } from './children/child-process.js';

/** Something the local stack started and must stop. */
export interface Component {
  /** One of {@link SHUTDOWN_ORDER}. */
  name: string;
  /** Graceful stop; resolves once it has exited. */
  stop(): Promise<void>;
  /** Immediate stop, for a second Ctrl-C. */
  kill(): Promise<void>;
}

/**
 * Front to back: nothing takes new requests, then the worker finishes its jobs while MongoDB and
 * Redis are still up, then the stores. Redis goes last so its AOF holds everything accepted.
 */
export const SHUTDOWN_ORDER = ['ingress', 'admin', 'worker', 'mongo', 'redis'] as const;

/**
 * Owns the local stack's components and its exit. The invariants: every exit path (Ctrl-C,
 * SIGTERM, a child dying, a failed start) stops everything that was started, in
 * {@link SHUTDOWN_ORDER}; a child that dies on its own makes the exit code non-zero.
 */
export class Supervisor {
  private readonly components = new Map<string, Component>();
  private shuttingDown: Promise<never> | undefined;
  private forced = false;

  constructor(private readonly say: (line: string) => void) {}

  /** True once shutdown has begun: exits from then on are expected. */
  get stopping(): boolean {
    return this.shuttingDown !== undefined;
  }

  /** Registers a started component; one that finished starting after shutdown began is stopped now. */
  add(component: Component): void {
    this.components.set(component.name, component);
    if (this.stopping) void component.stop();
  }

  /** Reports a child's exit; unless we asked for it, the whole stack goes down with code 1. */
  childExited(name: string, exit: ChildExit, lastLines: readonly string[] = []): void {
    if (this.stopping) return;
    this.say(`${name} exited unexpectedly (${formatExit(exit)}); stopping everything.`);
    if (lastLines.length > 0) this.say(`last output of ${name}:\n  ${lastLines.join('\n  ')}`);
    void this.shutdown(1);
  }

  /** SIGINT/SIGTERM/SIGHUP: stop in order and exit 0; a second signal kills everything at once. */
  onSignal(signal: NodeJS.Signals): void {
    if (!this.stopping) {
      this.say(`${signal} received: stopping (press Ctrl-C again to kill everything at once).`);
      void this.shutdown(0);
    } else if (!this.forced) {
      this.forced = true;
      this.say(`${signal} received again: killing everything.`);
      void Promise.allSettled([...this.components.values()].map((c) => c.kill())).then(() => process.exit(130));
    }
  }

  /** Stops everything in order, then exits with `code`. Idempotent: the first call's code wins. */
  shutdown(code: number): Promise<never> {
    this.shuttingDown ??= this.stopInOrder().then(() => {
      this.say(code === 0 ? 'stopped.' : `stopped (exit code ${code}).`);
      process.exit(code);
    });
    return this.shuttingDown;
  }

  private async stopInOrder(): Promise<void> {
    for (const name of SHUTDOWN_ORDER) {
      const component = this.components.get(name);
      if (component === undefined) continue;
      try {
        await component.stop();
      } catch (error) {
        this.say(`stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
