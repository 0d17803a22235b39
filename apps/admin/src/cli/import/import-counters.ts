/** What an import has done so far: the progress display reads it, the final report prints it. */
export interface ImportCounters {
  /** Input lines read (blank lines and a CSV header included). */
  lines: number;
  /** Input bytes read, against `totalBytes` for the percentage and ETA. */
  bytes: number;
  /** Input size when known (a file); null for stdin or a migration. */
  totalBytes: number | null;
  /** Summaries the API accepted (or, in a dry run, would accept). */
  accepted: number;
  /**
   * Of the accepted, those the API had counted already (their keys answered as replayed): on a
   * re-run, what the earlier run sent, which this one counted nothing more for.
   */
  alreadyCounted: number;
  /** Lines that will not be counted: unreadable, or refused by the API. */
  rejected: number;
  /** Tries the API refused for now (429, 503, no connection) and that were retried. */
  refusals: number;
  /** Why the latest of them was refused, and when (ms): progress shows it while refusals go on. */
  lastRefusal: { reason: string; at: number } | null;
  startedAt: number;
}

/** A try refused for now, and why (`503 Service Unavailable`, `connect ECONNREFUSED …`). */
export function countRefusal(counters: ImportCounters, reason: string, now = Date.now()): void {
  counters.refusals++;
  counters.lastRefusal = { reason, at: now };
}

export function newCounters(totalBytes: number | null, now = Date.now()): ImportCounters {
  return { lines: 0, bytes: 0, totalBytes, accepted: 0, alreadyCounted: 0, rejected: 0, refusals: 0, lastRefusal: null, startedAt: now };
}
