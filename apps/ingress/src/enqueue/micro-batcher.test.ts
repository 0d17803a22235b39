import { describe, expect, it, vi } from 'vitest';
import { MicroBatcher } from './micro-batcher.js';

/** A flush the test completes by hand, recording what each call was given. */
function manualFlush() {
  const calls: { items: number[]; settle: (error?: Error) => void }[] = [];
  const flush = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ items, settle: (error) => (error ? reject(error) : resolve()) });
    });
  return { calls, flush };
}

/** Lets the current event-loop turn end (the batcher's own setImmediate runs first). */
const turnEnds = () => new Promise((resolve) => setImmediate(resolve));

const settledState = async (promise: Promise<unknown>) => {
  const marker = Symbol('pending');
  const outcome = await Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise((resolve) => setImmediate(() => resolve(marker))),
  ]);
  return outcome === marker ? 'pending' : outcome;
};

describe('MicroBatcher (group commit)', () => {
  it('flushes a lone item at the end of the event-loop turn, without a timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const { calls, flush } = manualFlush();
    const batcher = new MicroBatcher<number>({ maxWeight: 100, maxInFlight: 1, flush });
    const added = batcher.add(1);
    await turnEnds();
    vi.useRealTimers();
    // Fake timers never advanced: no timer stood between the item and its flush.
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0]!.settle();
    await expect(added).resolves.toBeUndefined();
  });

  it('gathers items that arrive during a flush and sends them together when it completes', async () => {
    const { calls, flush } = manualFlush();
    const batcher = new MicroBatcher<number>({ maxWeight: 100, maxInFlight: 1, flush });
    const first = batcher.add(1);
    await turnEnds();
    const later = [batcher.add(2), batcher.add(3), batcher.add(4)];
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    expect(batcher.pending).toBe(3);
    // The items gathered do not settle with a flush that does not hold them.
    calls[0]!.settle();
    await first;
    expect(await settledState(later[0]!)).toBe('pending');
    await turnEnds();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.settle();
    await Promise.all(later);
  });

  it('keeps every batch within the weight bound, and lets one heavy item go alone', async () => {
    const flushed: number[][] = [];
    const batcher = new MicroBatcher<number>({
      maxWeight: 3,
      maxInFlight: 1,
      flush: async (items) => {
        flushed.push(items);
      },
    });
    const weights = [1, 2, 1, 2, 7, 1];
    await Promise.all(weights.map((w, i) => batcher.add(i + 1, w)));
    // Cut at 3 summaries as they arrived; the item weighing 7 went alone.
    expect(flushed).toEqual([[1, 2], [3, 4], [5], [6]]);
  });

  it('runs up to maxInFlight flushes at once', async () => {
    const { calls, flush } = manualFlush();
    const batcher = new MicroBatcher<number>({ maxWeight: 100, maxInFlight: 2, flush });
    void batcher.add(1);
    await turnEnds();
    void batcher.add(2);
    await turnEnds();
    for (const n of [3, 4]) void batcher.add(n);
    await turnEnds();
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    expect(batcher.pending).toBe(2);
  });

  it('sends items added in the same event-loop turn as one flush', async () => {
    const { calls, flush } = manualFlush();
    const batcher = new MicroBatcher<number>({ maxWeight: 100, maxInFlight: 1, flush });
    for (const n of [1, 2, 3]) void batcher.add(n);
    await turnEnds();
    expect(calls.map((c) => c.items)).toEqual([[1, 2, 3]]);
  });

  it("rejects exactly the items of a failed flush, and no other flush's", async () => {
    const { calls, flush } = manualFlush();
    const batcher = new MicroBatcher<number>({ maxWeight: 100, maxInFlight: 1, flush });
    const first = batcher.add(1);
    await turnEnds();
    const second = [batcher.add(2), batcher.add(3)];
    const outcomes = Promise.allSettled([first, ...second]);
    calls[0]!.settle();
    await first;
    await turnEnds();
    calls[1]!.settle(new Error('redis down'));
    await expect(second[0]).rejects.toThrow('redis down');
    const third = batcher.add(4);
    await turnEnds();
    calls[2]!.settle();
    expect((await outcomes).map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    await expect(third).resolves.toBeUndefined();
  });

  it('turns a flush that throws synchronously into a rejection of its items', async () => {
    const batcher = new MicroBatcher<number>({
      maxWeight: 100,
      maxInFlight: 1,
      flush: () => {
        throw new Error('no connection');
      },
    });
    await expect(batcher.add(1)).rejects.toThrow('no connection');
  });

  it('drain flushes everything gathered, flush after flush, and waits for it', async () => {
    const flushed: number[][] = [];
    const batcher = new MicroBatcher<number>({
      maxWeight: 2,
      maxInFlight: 1,
      lingerMs: 60_000,
      flush: async (items) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        flushed.push(items);
      },
    });
    const added = [1, 2, 3, 4, 5].map((n) => batcher.add(n));
    await batcher.drain();
    expect(flushed).toEqual([[1, 2], [3, 4], [5]]);
    expect(batcher.pending).toBe(0);
    await Promise.all(added);
  });

  it('with a linger, waits for company before flushing a batch that is not full', async () => {
    vi.useFakeTimers();
    try {
      const { calls, flush } = manualFlush();
      const batcher = new MicroBatcher<number>({ maxWeight: 100, maxInFlight: 1, lingerMs: 20, flush });
      void batcher.add(1);
      void batcher.add(2);
      expect(calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(20);
      expect(calls.map((c) => c.items)).toEqual([[1, 2]]);
    } finally {
      vi.useRealTimers();
    }
  });
});
