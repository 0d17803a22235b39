import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

/** Values `waitFor` keeps polling past. */
type Falsy = false | 0 | 0n | '' | null | undefined;

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). A single slow attempt is cut off at the deadline too. */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
  /** What was awaited, in words: it heads the timeout error (default "condition"). */
  message?: string;
}

/** Thrown by {@link waitFor} on timeout; `cause` holds the last error `fn` threw, if any. */
export class WaitForTimeoutError extends Error {
  override readonly name = 'WaitForTimeoutError';
}

const DEADLINE = Symbol('deadline');

/**
 * Polls `fn` until it returns (or resolves to) a truthy value, and resolves with that value.
 *
 * A falsy result or a thrown error means "not yet": the error is kept and reported if time runs
 * out, because "timed out" alone hides why (connection refused? wrong count?). Tests use this
 * instead of fixed sleeps, which are either flaky or slow.
 *
 * @throws {@link WaitForTimeoutError} naming `message`, the elapsed time, and the last error or
 * last value seen.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitForOptions = {}): Promise<Exclude<T, Falsy>> {
  const { timeoutMs = 5000, intervalMs = 50, message = 'condition' } = opts;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  let lastValue: unknown;
  let sawValue = false;

  for (;;) {
    attempts += 1;
    try {
      const result = await raceDeadline(Promise.resolve().then(fn), deadline);
      if (result !== DEADLINE) {
        if (result) return result as Exclude<T, Falsy>;
        lastValue = result;
        sawValue = true;
        lastError = undefined;
      }
    } catch (error) {
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(intervalMs, remaining));
  }

  const elapsed = Date.now() - started;
  const detail =
    lastError !== undefined
      ? `last error: ${lastError instanceof Error ? lastError.message : inspect(lastError)}`
      : sawValue
        ? `last value: ${inspect(lastValue, { depth: 3 })}`
        : 'the last attempt did not finish in time';
  throw new WaitForTimeoutError(
    `Timed out after ${elapsed} ms (${attempts} attempts) waiting for ${message}; ${detail}`,
    lastError !== undefined ? { cause: lastError } : undefined,
  );
}

/** Resolves with `promise`'s value, or with DEADLINE if the deadline passes first. */
async function raceDeadline<T>(promise: Promise<T>, deadline: number): Promise<Awaited<T> | typeof DEADLINE> {
  const controller = new AbortController();
  const timer = sleep<typeof DEADLINE>(Math.max(0, deadline - Date.now()), DEADLINE, {
    signal: controller.signal,
  }).catch((): typeof DEADLINE => DEADLINE);
  try {
    return await Promise.race([promise, timer]);
  } finally {
    controller.abort();
  }
}
