/** Statuses that mean "not now": nothing was counted, and the same request may be sent again. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/**
 * How long to wait before try `attempt` (1-based): the server's `Retry-After` when it gave one
 * (seconds or an HTTP date), else exponential backoff from 250 ms capped at 10 s, with jitter so
 * concurrent requests refused together do not come back together.
 */
export function retryDelayMs(attempt: number, retryAfter: string | undefined, now = Date.now(), random = Math.random): number {
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
  }
  const backoff = Math.min(250 * 2 ** (attempt - 1), 10_000);
  return Math.round(backoff / 2 + random() * (backoff / 2));
}

/** A server asking for a longer pause than this is obeyed only this far: the deadline still holds. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
