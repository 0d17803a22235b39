import type { Queue } from '@tally/queue';

/**
 * Measures the queue's backlog in the background, so the hot path reads a number instead of
 * asking Redis on every request. A failed measurement keeps the last known figure: Redis being
 * unreachable is caught by the connection check, not here.
 */
export class BacklogMonitor {
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queue: Queue,
    private readonly maxJobs: number,
    private readonly pollMs: number,
  ) {}

  start(): void {
    const tick = () => {
      this.queue.count().then(
        (n) => {
          this.count = n;
        },
        () => undefined,
      );
    };
    tick();
    this.timer = setInterval(tick, this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Jobs waiting (or delayed for retry) at the last measurement. */
  get waiting(): number {
    return this.count;
  }

  get overCap(): boolean {
    return this.count >= this.maxJobs;
  }
}
