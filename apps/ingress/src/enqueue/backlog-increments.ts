import type { Logger } from '@tally/logger';
import { addToSummaryBacklog, type RedisClient } from '@tally/queue';

/**
 * How long the ingress sums the backlog increments of the jobs it adds before sending them as
 * one. A fifth of the default BACKLOG_POLL_MS (500): the refusal it feeds reads the counter only
 * once per poll anyway, so the count arrives as early as any reader could use it.
 */
export const INCREMENT_DELAY_MS = 100;

/**
 * The ingress's increments of one shard's summary backlog counter, coalesced: the counts of the
 * jobs added within {@link INCREMENT_DELAY_MS} (and while one is on its way to Redis) are summed
 * and sent as one script call. Under load that is a few calls per second instead of one per job
 * (2 of the ~12 Redis commands a job cost). Increments are off the answer's path (the job is
 * already in Redis), so a delayed or failed one only under-counts for a moment; a counter that
 * drifted is reset when the queue next drains (see summary-backlog). At shutdown the ingress
 * sends what is summed at once ({@link BacklogIncrements.flush}).
 */
export class BacklogIncrements {
  private pending = new Map<string, number>();
  /** The delayed send, while one is scheduled. */
  private timer: NodeJS.Timeout | undefined;
  /** The send on its way to Redis, while there is one. */
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly logger: Logger,
    private readonly delayMs = INCREMENT_DELAY_MS,
  ) {}

  add(counts: Map<string, number>): void {
    for (const [workspace, n] of counts) this.pending.set(workspace, (this.pending.get(workspace) ?? 0) + n);
    this.schedule();
  }

  /**
   * Sends what is summed now instead of when its delay ends, after the send under way: at
   * shutdown, once the last job is added, so its count is not lost with the timer. A send that
   * fails is logged, not thrown (the counter is reset when the queue next drains).
   */
  async flush(): Promise<void> {
    this.cancelTimer();
    await this.inFlight;
    this.cancelTimer(); // the send that just ended scheduled the rest
    if (this.pending.size > 0) await this.send();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.inFlight !== undefined || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, this.delayMs);
    this.timer.unref();
  }

  private cancelTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private send(): Promise<void> {
    const counts = this.pending;
    this.pending = new Map();
    this.inFlight = addToSummaryBacklog(this.redis, this.key, counts)
      .catch((err: unknown) => this.logger.debug({ err }, 'summary backlog not incremented'))
      .finally(() => {
        this.inFlight = undefined;
        this.schedule();
      });
    return this.inFlight;
  }
}
