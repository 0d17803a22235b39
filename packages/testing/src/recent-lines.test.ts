import { describe, expect, it } from 'vitest';
import { appendRecent } from './recent-lines.js';

describe('appendRecent', () => {
  it('always holds the last max lines, in order, and never more than a quarter over', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      appendRecent(lines, `line ${i}`, 1_000);
      expect(lines.length).toBeLessThanOrEqual(1_250);
      if (i % 97 !== 0 && i < 9_990) continue;
      const held = Math.min(i + 1, 1_000);
      expect(lines.slice(-held)).toEqual(Array.from({ length: held }, (_, k) => `line ${i - held + 1 + k}`));
    }
  });

  it('trims a quarter of max at a time, not once per line past the cap', () => {
    const lines: string[] = [];
    let trims = 0;
    for (let i = 0; i < 100_000; i++) if (appendRecent(lines, 'x', 1_000)) trims++;
    // The first at line 1,251 (back to 1,000), then every 251 lines: 394. One per line past the cap would be 99,000.
    expect(trims).toBe(394);
  });

  it('holds exactly max lines right after each trim, for a tiny cap too', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) if (appendRecent(lines, `line ${i}`, 1_000)) expect(lines.length).toBe(1_000);
    const tiny: string[] = [];
    for (let i = 0; i < 5; i++) appendRecent(tiny, String(i), 1);
    expect(tiny).toEqual(['4']); // 0,1 → 0,1,2 trims to 2 → 2,3 → 2,3,4 trims to 4
  });
});
