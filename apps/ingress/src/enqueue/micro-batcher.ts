interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface MicroBatcherOptions<T> {
  /** A batch holds at most this much weight (summaries, not requests); one heavier item goes alone. */
  maxWeight: number;
  /** Flushes under way at once; further items gather until one completes. */
  maxInFlight: number;
  /**
   * Optional linger: a flush that could start now waits this long for company first. 0 (the
   * default) waits only for the end of the current event-loop turn.
   */
  lingerMs?: number;
  /** Makes one batch durable; every item's promise settles with it. */
  flush: (items: T[]) => Promise<void>;
}

/**
 * Group commit: many HTTP requests become one BullMQ job without a fixed timer. When fewer than
 * `maxInFlight` flushes are under way, what has gathered is flushed at the end of the current
 * event-loop turn (setImmediate: requests whose bytes arrived together go together, and a lone
 * item loses microseconds, not milliseconds); otherwise items gather and go as soon as a flush
 * completes. Batches grow by themselves with load. Each `add` settles with its own batch's
 * flush, so a caller answers 200 only once its item is durable, and 503 if that flush failed.
 */
export class MicroBatcher<T> {
  private batches: { pending: Pending<T>[]; weight: number }[] = [];
  private inFlight = 0;
  private scheduled: (() => void) | undefined;
  private readonly idle = new Set<() => void>();

  constructor(private readonly options: MicroBatcherOptions<T>) {}

  add(item: T, weight = 1): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // Gathered items are cut into batches of at most maxWeight as they arrive, so a completing
      // flush hands the next one over without re-slicing.
      let open = this.batches.at(-1);
      if (open === undefined || (open.weight > 0 && open.weight + weight > this.options.maxWeight)) {
        open = { pending: [], weight: 0 };
        this.batches.push(open);
      }
      open.pending.push({ item, resolve, reject });
      open.weight += weight;
      this.pump();
    });
  }

  /** Items waiting for a flush to start. */
  get pending(): number {
    return this.batches.reduce((n, b) => n + b.pending.length, 0);
  }

  /** Flushes everything gathered and waits for every flush under way (graceful shutdown). */
  async drain(): Promise<void> {
    this.cancelScheduled();
    this.pump(true);
    while (this.inFlight > 0 || this.batches.length > 0) {
      await new Promise<void>((resolve) => this.idle.add(resolve));
      this.pump(true);
    }
  }

  /** Starts flushes while there is something gathered and room in flight. */
  private pump(now = false): void {
    while (this.batches.length > 0 && this.inFlight < this.options.maxInFlight) {
      const full = this.batches.length > 1 || this.batches[0]!.weight >= this.options.maxWeight;
      if (!now && !full) {
        this.schedule();
        return;
      }
      this.cancelScheduled();
      this.start(this.batches.shift()!.pending);
    }
  }

  /** One pending wake-up at a time: end of this event-loop turn, or after the linger. */
  private schedule(): void {
    if (this.scheduled !== undefined) return;
    const wake = () => {
      this.scheduled = undefined;
      this.pump(true);
    };
    const linger = this.options.lingerMs ?? 0;
    if (linger > 0) {
      const timer = setTimeout(wake, linger);
      this.scheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(wake);
      this.scheduled = () => clearImmediate(immediate);
    }
  }

  private cancelScheduled(): void {
    this.scheduled?.();
    this.scheduled = undefined;
  }

  private start(batch: Pending<T>[]): void {
    this.inFlight += 1;
    let flushed: Promise<void>;
    try {
      flushed = this.options.flush(batch.map((p) => p.item));
    } catch (error) {
      flushed = Promise.reject(error);
    }
    const settle = (outcome: (p: Pending<T>) => void) => {
      this.inFlight -= 1;
      // What gathered during this flush goes next, before its callers hear back.
      this.pump();
      for (const p of batch) outcome(p);
      for (const wake of this.idle) wake();
      this.idle.clear();
    };
    flushed.then(
      () => settle((p) => p.resolve()),
      (error: unknown) => settle((p) => p.reject(error)),
    );
  }
}
