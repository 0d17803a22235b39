import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, retryDelayMs } from './retry-policy.js';

describe('retryDelayMs', () => {
  it('honours Retry-After in seconds and as an HTTP date', () => {
    expect(retryDelayMs(1, '2')).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayMs(1, 'Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
  });

  it('caps a Retry-After that would outlast every deadline', () => {
    expect(retryDelayMs(1, '86400')).toBe(MAX_RETRY_AFTER_MS);
  });

  it('backs off exponentially with jitter, capped at 10 s, without Retry-After', () => {
    expect(retryDelayMs(1, undefined, 0, () => 1)).toBe(250);
    expect(retryDelayMs(3, undefined, 0, () => 0)).toBe(500);
    expect(retryDelayMs(30, undefined, 0, () => 1)).toBe(10_000);
  });
});
