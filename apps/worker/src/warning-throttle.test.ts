import { describe, expect, it } from 'vitest';
import { WarningThrottle } from './warning-throttle.js';

describe('WarningThrottle', () => {
  it('lets one warning per kind through per window and reports how many it held back', () => {
    let clock = 0;
    const throttle = new WarningThrottle(10_000, () => clock);
    expect(throttle.admit('MongoDB unreachable')).toBe(0);
    for (let n = 0; n < 500; n += 1) expect(throttle.admit('MongoDB unreachable')).toBeNull();
    expect(throttle.admit('LockBusy')).toBe(0); // another kind is not held back
    clock = 10_000;
    expect(throttle.admit('MongoDB unreachable')).toBe(500);
  });

  it('remembers a bounded number of kinds', () => {
    const throttle = new WarningThrottle(10_000, () => 0, 2);
    throttle.admit('a');
    throttle.admit('b');
    throttle.admit('c'); // forgets a
    expect(throttle.admit('a')).toBe(0);
    expect(throttle.admit('c')).toBeNull();
  });
});
