import type { RedisClient } from '@tally/queue';

/**
 * Adds `chunk` to the window's shared counter and returns the new total; the first draw of a
 * window sets its expiry, so counters of past windows clean themselves up.
 */
const DRAW_SCRIPT = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
if total == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return total`;

/** Where replicas draw their shares of a window's allowance. */
export interface AllowanceStore {
  /**
   * Reserves up to `chunk` units of `limit` for the window `key`; resolves with how many were
   * granted (0 when the window is used up) and how many all replicas have asked for so far.
   */
  draw(key: string, chunk: number, limit: number, ttlMs: number): Promise<{ granted: number; total: number }>;
}

/**
 * The window counters in Redis, shared by every ingress replica: one INCRBY per chunk, not per
 * request. What is drawn is never given back, so the sum granted over all replicas never passes
 * the limit (a replica may hold an unused part of a chunk when the window ends).
 */
export class RedisAllowanceStore implements AllowanceStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async draw(key: string, chunk: number, limit: number, ttlMs: number): Promise<{ granted: number; total: number }> {
    const total = Number(await this.redis.eval(DRAW_SCRIPT, 1, `${this.prefix}:ratelimit:${key}`, chunk, ttlMs));
    return { granted: Math.max(0, Math.min(chunk, limit - (total - chunk))), total };
  }
}
