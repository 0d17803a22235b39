import type { AllowanceStore } from './allowance-store.js';

/** Intercom spreads a per-minute limit over six 10-second windows. */
export const WINDOW_MS = 10_000;
const WINDOWS_PER_MINUTE = 6;

/** What one request learns: allowed or not, and the X-RateLimit-* figures. */
export interface RateDecision {
  allowed: boolean;
  /** The per-minute limit (X-RateLimit-Limit). */
  limit: number;
  /** Left in the current window, as far as this replica knows (X-RateLimit-Remaining). */
  remaining: number;
  /** When the current window ends, Unix seconds (X-RateLimit-Reset). */
  resetAt: number;
}

interface Bucket {
  window: number;
  /** Units this replica drew from the shared window and has not spent. */
  held: number;
  /** The window's total drawn by all replicas, as of this replica's last draw. */
  drawnTotal: number;
  exhausted: boolean;
  drawing: Promise<void> | undefined;
}

/**
 * A per-minute limit per key (workspace or token), enforced over 10-second windows across every
 * replica without a Redis round trip per request: each replica draws allowance from the shared
 * window counter in chunks and spends it locally. Only a replica whose share ran out asks Redis
 * again; once the window is used up, it refuses locally until the window ends.
 */
export class WindowRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perWindow: number;
  private readonly chunk: number;

  constructor(
    private readonly store: AllowanceStore,
    private readonly scope: string,
    private readonly perMinute: number,
    /** What a Redis failure means; the ingress lets traffic through (a limit is not worth an outage). */
    private readonly onStoreError: (err: unknown) => void,
  ) {
    this.perWindow = Math.max(1, Math.ceil(perMinute / WINDOWS_PER_MINUTE));
    // A tenth of a window per draw: ~10 Redis calls per window per busy replica, and at most a
    // tenth of the window stranded on a replica that stops receiving traffic.
    this.chunk = Math.max(1, Math.floor(this.perWindow / 10));
  }

  async take(id: string, nowMs: number): Promise<RateDecision> {
    const window = Math.floor(nowMs / WINDOW_MS);
    let bucket = this.buckets.get(id);
    if (!bucket || bucket.window !== window) {
      bucket = { window, held: 0, drawnTotal: 0, exhausted: false, drawing: undefined };
      this.buckets.set(id, bucket);
    }
    while (bucket.held === 0 && !bucket.exhausted) {
      bucket.drawing ??= this.draw(id, bucket);
      await bucket.drawing;
    }
    const allowed = bucket.held > 0;
    if (allowed) bucket.held -= 1;
    return {
      allowed,
      limit: this.perMinute,
      remaining: Math.max(0, this.perWindow - bucket.drawnTotal) + bucket.held,
      resetAt: ((window + 1) * WINDOW_MS) / 1000,
    };
  }

  private async draw(id: string, bucket: Bucket): Promise<void> {
    try {
      const { granted, total } = await this.store.draw(`${this.scope}:${id}:${bucket.window}`, this.chunk, this.perWindow, 2 * WINDOW_MS);
      bucket.drawnTotal = Math.max(bucket.drawnTotal, total);
      if (granted === 0) bucket.exhausted = true;
      bucket.held += granted;
    } catch (err) {
      this.onStoreError(err);
      // Fail open for this one chunk: the next draw asks Redis again.
      bucket.held += this.chunk;
    } finally {
      bucket.drawing = undefined;
    }
  }
}
