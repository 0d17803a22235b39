import { afterEach, describe, expect, it, vi } from 'vitest';
import { rateLimitedLogger } from './rate-limited-logger.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('rateLimitedLogger', () => {
  it('passes the first lines of a window, drops the rest and reports how many it dropped', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const log = rateLimitedLogger((l) => lines.push(l), 2, 1000);
    for (let i = 0; i < 5; i++) log(`line ${i}`);
    expect(lines).toEqual(['line 0', 'line 1']);
    vi.advanceTimersByTime(1000);
    log('later');
    expect(lines).toEqual(['line 0', 'line 1', 'mongo-emulator: 3 diagnostic line(s) suppressed', 'later']);
  });
});
