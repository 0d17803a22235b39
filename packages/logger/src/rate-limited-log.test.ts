import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from './rate-limited-log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(String(chunk)));
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('RateLimitedLog', () => {
  it('writes the first line of a kind, then one per interval with the count it held back', () => {
    const { logger, lines } = capture();
    let now = 0;
    const log = new RateLimitedLog(logger, 1000, () => now);
    for (let i = 0; i < 10_000; i++) log.warn('enqueue-failed', { attempt: i }, 'enqueue failed');
    log.warn('other', {}, 'another kind is not held back');
    now = 1000;
    log.warn('enqueue-failed', { attempt: 10_000 }, 'enqueue failed');
    expect(lines.map((l) => [l.msg, l.suppressed])).toEqual([
      ['enqueue failed', undefined],
      ['another kind is not held back', undefined],
      ['enqueue failed', 9999],
    ]);
  });
});
