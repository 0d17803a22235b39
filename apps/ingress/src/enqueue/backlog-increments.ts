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
 * drifted is reset when the queue next drains (see summary-backlog).
 */
export class BacklogIncrements {
  private pending = new Map<string, number>();
  private busy = false;

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

  private schedule(): void {
    if (this.busy || this.pending.size === 0) return;
    this.busy = true;
    setTimeout(() => void this.send(), this.delayMs).unref();
  }

  private async send(): Promise<void> {
    const counts = this.pending;
    this.pending = new Map();
    await addToSummaryBacklog(this.redis, this.key, counts).catch((err: unknown) =>
      this.logger.debug({ err }, 'summary backlog not incremented'),
    );
    this.busy = false;
    this.schedule();
  }
}
