import { describe, expect, it } from 'vitest';
import type { AllowanceStore } from './allowance-store.js';
import { WindowRateLimiter } from './window-rate-limiter.js';

/** The shared counters as a map: the same arithmetic as the Redis script. */
function memoryStore(): AllowanceStore & { calls: number } {
  const totals = new Map<string, number>();
  return {
    calls: 0,
    async draw(key, chunk, limit) {
      this.calls += 1;
      const total = (totals.get(key) ?? 0) + chunk;
      totals.set(key, total);
      return { granted: Math.max(0, Math.min(chunk, limit - (total - chunk))), total };
    },
  };
}

const take = async (limiter: WindowRateLimiter, n: number, at: number) => {
  const results = [];
  for (let i = 0; i < n; i += 1) results.push(await limiter.take('acme', at));
  return results;
};

describe('WindowRateLimiter', () => {
  it('allows a sixth of the per-minute limit per 10-second window, and starts afresh in the next', async () => {
    const limiter = new WindowRateLimiter(memoryStore(), 'ws', 120, () => undefined);
    const first = await take(limiter, 21, 5_000);
    expect(first.filter((d) => d.allowed)).toHaveLength(20);
    expect(first.at(-1)).toEqual({ allowed: false, limit: 120, remaining: 0, resetAt: 10 });
    const next = await limiter.take('acme', 10_000);
    expect(next).toEqual({ allowed: true, limit: 120, remaining: 19, resetAt: 20 });
  });

  it('asks the store once per chunk (a tenth of the window), not once per request', async () => {
    const store = memoryStore();
    const limiter = new WindowRateLimiter(store, 'ws', 6000, () => undefined);
    await take(limiter, 1000, 0);
    expect(store.calls).toBe(10);
  });

  it('lets traffic through when the store fails, and reports the failure', async () => {
    const failures: unknown[] = [];
    const limiter = new WindowRateLimiter(
      {
        draw: async () => {
          throw new Error('redis down');
        },
      },
      'ws',
      60,
      (err) => failures.push(err),
    );
    expect((await take(limiter, 3, 0)).every((d) => d.allowed)).toBe(true);
    expect(failures.length).toBeGreaterThan(0);
  });
});
