/** Name of Tally's backoff type in job options; workers install {@link backoffStrategy} for it. */
export const CAPPED_EXPONENTIAL = 'tally-capped-exponential';
/** Longest wait between two attempts. */
export const MAX_BACKOFF_MS = 60_000;

/**
 * 1 s, 2 s, 4 s … capped at a minute, with ±10 % jitter so that jobs failed by the same outage
 * do not all come back in the same instant. Passed as the Worker's `settings.backoffStrategy`.
 */
export function backoffStrategy(attemptsMade: number): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), MAX_BACKOFF_MS);
  return Math.min(Math.round(base * (0.9 + Math.random() * 0.2)), MAX_BACKOFF_MS);
}
