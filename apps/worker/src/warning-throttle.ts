/**
 * Lets one warning per kind through per window and counts the rest. During an outage every job
 * fails the same way on every attempt; one line per window with the number of repeats says as
 * much as ten thousand lines, and keeps the log (and its disk) usable.
 */
export class WarningThrottle {
  private readonly seen = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    /** Kinds remembered at most; the oldest is forgotten past this (kinds come from error text). */
    private readonly maxKinds = 1000,
  ) {}

  /** Null to stay silent, or how many warnings of this kind were suppressed since the last one. */
  admit(kind: string): number | null {
    const at = this.now();
    const entry = this.seen.get(kind);
    if (entry !== undefined && at - entry.at < this.windowMs) {
      entry.suppressed += 1;
      return null;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.seen.delete(kind);
    this.seen.set(kind, { at, suppressed: 0 });
    if (this.seen.size > this.maxKinds) this.seen.delete(this.seen.keys().next().value as string);
    return suppressed;
  }
}
