import { describe, expect, it } from 'vitest';
import { WaitForTimeoutError, waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : null), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('retries while fn throws or rejects', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return 'ok';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('ok');
  });

  it('times out with the message and the last error', async () => {
    const started = Date.now();
    const error = await waitFor(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 150, intervalMs: 10, message: 'the worker to apply 3 summaries' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitForTimeoutError);
    expect((error as Error).message).toMatch(/waiting for the worker to apply 3 summaries; last error: connection refused/);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('reports the last falsy value when fn never throws', async () => {
    await expect(waitFor(() => 0, { timeoutMs: 50, message: 'count > 0' })).rejects.toThrow(/count > 0; last value: 0/);
  });

  it('cuts off an attempt that hangs past the deadline', async () => {
    const started = Date.now();
    await expect(waitFor(() => new Promise<never>(() => {}), { timeoutMs: 100 })).rejects.toThrow(/did not finish in time/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
