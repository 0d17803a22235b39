interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface MicroBatcherOptions<T> {
  /** Flush after this long, counted from the first item of a batch. */
  maxWaitMs: number;
  /** Flush as soon as the batch weighs this much (summaries, not requests). */
  maxWeight: number;
  /** Makes one batch durable; every item's promise settles with it. */
  flush: (items: T[]) => Promise<void>;
}

/**
 * Gathers items for a few milliseconds and hands them to `flush` together: many HTTP requests
 * become one BullMQ job. Each `add` settles with its own batch's flush, so a caller answers 200
 * only once its items are durable, and 503 if that flush failed.
 */
export class MicroBatcher<T> {
  private batch: Pending<T>[] = [];
  private weight = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: MicroBatcherOptions<T>) {}

  add(item: T, weight = 1): Promise<void> {
    // A heavy item never waits behind a half-full batch that it would overflow.
    if (this.weight > 0 && this.weight + weight > this.options.maxWeight) this.flushNow();
    const settled = new Promise<void>((resolve, reject) => this.batch.push({ item, resolve, reject }));
    this.weight += weight;
    if (this.weight >= this.options.maxWeight) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), this.options.maxWaitMs);
    return settled;
  }

  /** Items waiting for the next flush. */
  get pending(): number {
    return this.batch.length;
  }

  /** Flushes what is gathered and waits for every flush under way (graceful shutdown). */
  async drain(): Promise<void> {
    this.flushNow();
    await Promise.allSettled([...this.inFlight]);
  }

  private flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    this.weight = 0;
    const run = this.options
      .flush(batch.map((p) => p.item))
      .then(
        () => {
          for (const p of batch) p.resolve();
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      )
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }
}
