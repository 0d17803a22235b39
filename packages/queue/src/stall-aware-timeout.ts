import { Command } from 'ioredis';

/** The part of an ioredis command its timeout works on (ioredis 6: `Command.prototype.setTimeout`). */
interface TimedCommand {
  _commandTimeoutTimer?: NodeJS.Timeout;
  isSettled: boolean;
  reject: (err: Error) => void;
}

const INSTALLED = Symbol.for('tally.stallAwareCommandTimeout');

/**
 * Makes ioredis's `commandTimeout` wait for replies that have already arrived.
 *
 * When the event loop stalls for longer than the timeout (a long garbage collection, or a CPU
 * that other processes starve, as on a busy machine), Node runs the expired timers before it
 * reads the sockets: ioredis then rejected a command with "Command timed out" although its reply
 * was already waiting to be read. For the ingress that was a 503 for a request whose job was in
 * Redis, so a client retrying without an Idempotency-Key counted it twice. Now the timer, when
 * it fires, lets one poll phase pass (`setImmediate` runs after it): a reply already received
 * settles the command first, and only a command still unanswered is rejected. A Redis that does
 * not answer is timed out as before, at most one loop turn later.
 *
 * Installed once per process, for every ioredis client in it (BullMQ's too), by importing
 * `@tally/queue`.
 */
export function installStallAwareCommandTimeout(): void {
  const proto = Command.prototype as unknown as { setTimeout: (this: TimedCommand, ms: number) => void; [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  proto.setTimeout = function setTimeout(this: TimedCommand, ms: number): void {
    if (this._commandTimeoutTimer) return;
    this._commandTimeoutTimer = globalThis.setTimeout(() => {
      setImmediate(() => {
        if (!this.isSettled) this.reject(new Error('Command timed out'));
      });
    }, ms);
  };
}
