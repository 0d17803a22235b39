import { describe, expect, it } from 'vitest';
import { recordingOutput } from './output.js';
import { Progress } from './progress.js';
import { countOf, formatAge, formatCount, renderTable, truncate } from './text-format.js';

describe('formatAge', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [42_000, '42s'],
    [5 * 60_000, '5m'],
    [5 * 60_000 + 3000, '5m 3s'],
    [2 * 3600_000 + 5 * 60_000 + 59_000, '2h 5m'],
    [3 * 86_400_000 + 4 * 3600_000, '3d 4h'],
    [86_400_000 + 30_000, '1d'],
    [-5000, '0s'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});

describe('truncate and formatCount', () => {
  it('keeps one line and marks what was cut', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('line one\n  line two', 40)).toBe('line one line two');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(formatCount(25_000)).toBe('25,000');
  });

  it('names one thing in the singular, any other count in the plural', () => {
    expect(countOf(1, 'summary', 'summaries')).toBe('1 summary');
    expect(countOf(0, 'summary', 'summaries')).toBe('0 summaries');
    expect(countOf(3000, 'line')).toBe('3,000 lines');
  });
});

describe('renderTable', () => {
  it('aligns columns, numbers (and their headers) to the right, and leaves the last column unpadded', () => {
    const lines = renderTable(
      ['ID', 'N', 'REASON'],
      [
        ['1', '5', 'bad'],
        ['1234', '12', 'worse'],
      ],
      new Set([1]),
    );
    expect(lines).toEqual(['ID     N  REASON', '----  --  ------', '1      5  bad', '1234  12  worse']);
  });
});

describe('Progress', () => {
  it('stays quiet for small batches and prints at most once per interval for large ones', () => {
    const quiet = recordingOutput();
    const small = new Progress(quiet, 'retried', 10);
    small.advance(10);
    expect(quiet.stderr).toEqual([]);

    let clock = 0;
    const output = recordingOutput();
    const large = new Progress(output, 'retried', 1000, { minTotal: 100, intervalMs: 1000, now: () => clock });
    clock = 5000;
    large.advance(200);
    clock = 5100;
    large.advance(200); // within the interval: silent
    clock = 6200;
    large.advance(200);
    clock = 6300;
    large.advance(400); // the last one is always printed
    expect(output.stderr).toEqual(['retried 200 / 1,000 (20%)', 'retried 600 / 1,000 (60%)', 'retried 1,000 / 1,000 (100%)']);
  });
});
