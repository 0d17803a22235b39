import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from './wait-for.js';

/** What {@link waitForQuiescence} reads: a BullMQ Queue fits. */
export interface CountableQueue {
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

export interface QuiescenceOptions {
  /** How long the completed count must stay the same (default 1000 ms: past one retry backoff's first step). */
  stableMs?: number;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
}

const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children'] as const;

/**
 * Resolves once the queue is quiet: nothing waiting, active or delayed (a retry scheduled is
 * "delayed"), and the completed count unchanged for `stableMs`. "Nothing more will land" is then
 * a fact about the queue, where a fixed sleep only hoped so (a duplicate that lands after the
 * sleep would pass). Resolves with the final counts.
 */
export async function waitForQuiescence(queue: CountableQueue, options: QuiescenceOptions = {}): Promise<Record<string, number>> {
  const { stableMs = 1000, timeoutMs = 30_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = await waitFor(
      async () => {
        const counts = await queue.getJobCounts(...PENDING, 'completed', 'failed');
        return PENDING.every((type) => (counts[type] ?? 0) === 0) ? counts : null;
      },
      { timeoutMs: Math.max(1, deadline - Date.now()), message: 'queue never emptied' },
    );
    await sleep(stableMs);
    const after = await queue.getJobCounts(...PENDING, 'completed', 'failed');
    if (PENDING.every((type) => (after[type] ?? 0) === 0) && after.completed === before.completed) return after;
    if (Date.now() > deadline) throw new Error(`queue never went quiet within ${timeoutMs} ms: ${JSON.stringify(after)}`);
  }
}
