import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

const make = () => {
  let now = 0;
  const throttle = new LoginThrottle({ freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, maxClients: 2, now: () => now });
  return { throttle, advance: (ms: number) => (now += ms) };
};

describe('LoginThrottle', () => {
  it('lets a few failures through, then doubles the wait with each one, up to the cap', () => {
    const { throttle } = make();
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      throttle.failed('10.0.0.1');
      waits.push(throttle.retryAfterMs('10.0.0.1'));
    }
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 8000]);
  });

  it('keeps clients apart, and a success clears the record', () => {
    const { throttle } = make();
    for (let i = 0; i < 4; i++) throttle.failed('a');
    expect(throttle.retryAfterMs('a')).toBe(1000);
    expect(throttle.retryAfterMs('b')).toBe(0);
    throttle.succeeded('a');
    expect(throttle.retryAfterMs('a')).toBe(0);
  });

  it('lets the wait run out, and forgets an idle client and the least recent past its bound', () => {
    const { throttle, advance } = make();
    for (let i = 0; i < 4; i++) throttle.failed('a');
    advance(1000);
    expect(throttle.retryAfterMs('a')).toBe(0);
    throttle.failed('a');
    expect(throttle.retryAfterMs('a')).toBe(2000);
    advance(16_001);
    throttle.failed('a');
    expect(throttle.retryAfterMs('a')).toBe(0); // started afresh
    for (let i = 0; i < 4; i++) throttle.failed('b');
    for (let i = 0; i < 4; i++) throttle.failed('c');
    expect(throttle.retryAfterMs('b')).toBe(1000);
    throttle.failed('d'); // over maxClients: 'a' (least recent) is forgotten, not 'c'
    expect(throttle.retryAfterMs('c')).toBe(1000);
  });
});
