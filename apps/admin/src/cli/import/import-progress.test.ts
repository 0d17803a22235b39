import { describe, expect, it } from 'vitest';
import { countRefusal, newCounters } from './import-counters.js';
import { barLine, plainProgressLine } from './import-progress.js';

const START = 1_000_000;

/** Counters of an import 4 s in, half way through a 2,000-byte file. */
function halfWay() {
  const counters = newCounters(2_000, START);
  Object.assign(counters, { lines: 1_000, bytes: 1_000, accepted: 990, rejected: 10 });
  return counters;
}

describe('import progress', () => {
  it('says how far, how fast, how long still, and what was refused', () => {
    const counters = halfWay();
    expect(plainProgressLine('import', counters, START + 4_000)).toBe(
      'import: 1,000 lines (50%), 990 accepted, 10 rejected, 248 summaries/s, ETA 4s, 0 refusals',
    );
    expect(barLine(counters, START + 4_000)).toBe(
      '[████████████░░░░░░░░░░░░]  50% 1,000 lines · 248 summaries/s · ETA 4s · 10 rejected · 0 refusals',
    );
  });

  it('names the latest refusal while refusals go on, so a wrong --url or a down API shows at once', () => {
    const counters = halfWay();
    countRefusal(counters, 'connect ECONNREFUSED 127.0.0.1:3998', START + 3_000);
    countRefusal(counters, '503 the queue is unreachable; retry later', START + 3_500);
    expect(plainProgressLine('import', counters, START + 4_000)).toMatch(
      /, 2 refusals \(last: 503 the queue is unreachable; retry later\)$/,
    );
    expect(barLine(counters, START + 4_000)).toMatch(/ · 2 refusals \(last: 503 the queue is unreachable; retry later\)$/);
    // Ten seconds without one: old news, the count alone.
    expect(plainProgressLine('import', counters, START + 14_000)).toMatch(/, 2 refusals$/);
  });

  it('cuts a long reason (an HTML error page from a proxy) short', () => {
    const counters = halfWay();
    countRefusal(counters, `502 ${'<html>'.repeat(100)}`, START + 3_900);
    const line = plainProgressLine('import', counters, START + 4_000);
    expect(line).toMatch(/\(last: 502 (<html>)+<ht…\)$/);
    expect(line.length).toBeLessThan(200);
  });
});
