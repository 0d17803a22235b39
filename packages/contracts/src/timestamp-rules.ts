import type { IntercomError } from './error-list.js';

/** Timestamps may run ahead of the server clock by at most a day (client clock skew). */
export const FUTURE_TOLERANCE_SECONDS = 86_400;

/** Past this, a "seconds" value is almost surely milliseconds (1e11 s is the year 5138). */
const MILLISECONDS_LIKELY = 100_000_000_000;

/**
 * The time rules zod cannot state alone (they need the clock): a given timestamp at most a day
 * ahead, with a hint when it looks like milliseconds, the most common client mistake.
 *
 * @returns the problem, or `null` when `seconds` is acceptable.
 */
export function futureTimestampProblem(field: string, seconds: number, nowSeconds: number): IntercomError | null {
  if (seconds <= nowSeconds + FUTURE_TOLERANCE_SECONDS) return null;
  const hint =
    seconds >= MILLISECONDS_LIKELY ? ` (${seconds} looks like milliseconds: send Unix seconds, e.g. ${Math.floor(seconds / 1000)})` : '';
  return { code: 'parameter_invalid', field, message: `${field}: must not be more than a day in the future${hint}` };
}
