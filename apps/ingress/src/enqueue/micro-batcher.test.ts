import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './micro-batcher.js';

describe('MicroBatcher', () => {
  it('turns concurrent adds into one flush and settles each with it', async () => {
    const flushed: number[][] = [];
    const batcher = new MicroBatcher<number>({
      maxWaitMs: 5,
      maxWeight: 100,
      flush: async (items) => {
        flushed.push(items);
      },
    });
    await Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    expect(flushed).toEqual([[1, 2, 3]]);
  });

  it('flushes early when the weight cap is reached', async () => {
    const flushed: number[][] = [];
    const batcher = new MicroBatcher<number>({
      maxWaitMs: 10_000,
      maxWeight: 3,
      flush: async (items) => {
        flushed.push(items);
      },
    });
    await Promise.all([batcher.add(1, 2), batcher.add(2, 1)]);
    expect(flushed).toEqual([[1, 2]]);
    // An item that would overflow the open batch starts a new one.
    const a = batcher.add(3, 2);
    const b = batcher.add(4, 2);
    await batcher.drain();
    await Promise.all([a, b]);
    expect(flushed).toEqual([[1, 2], [3], [4]]);
  });

  it("rejects every item of a failed flush, and only that flush's items", async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number>({
      maxWaitMs: 1,
      maxWeight: 100,
      flush: async () => {
        calls += 1;
        if (calls === 1) throw new Error('redis down');
      },
    });
    const first = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(batcher.add(3)).resolves.toBeUndefined();
  });

  it('drain flushes what is pending and waits for it', async () => {
    let done = false;
    const batcher = new MicroBatcher<number>({
      maxWaitMs: 60_000,
      maxWeight: 100,
      flush: () =>
        new Promise((resolve) =>
          setTimeout(() => {
            done = true;
            resolve();
          }, 20),
        ),
    });
    const added = batcher.add(1);
    expect(batcher.pending).toBe(1);
    await batcher.drain();
    expect(done).toBe(true);
    await expect(added).resolves.toBeUndefined();
  });
});
