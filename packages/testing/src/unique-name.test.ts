import { describe, expect, it } from 'vitest';
import { uniqueName } from './unique-name.js';

describe('uniqueName', () => {
  it('is valid as a MongoDB database name and a BullMQ queue name', () => {
    for (const prefix of ['ingest', 'Apply Summaries!', 'a:b/c.d$e', '', '___', 'x'.repeat(80)]) {
      const name = uniqueName(prefix);
      expect(name).toMatch(/^[a-z0-9_]+$/);
      expect(name.length).toBeLessThanOrEqual(38);
    }
  });

  it('starts with the sanitised prefix so a leftover database says where it came from', () => {
    expect(uniqueName('Apply Summaries')).toMatch(/^apply_summaries_[a-z0-9]{12}$/);
  });

  it('never repeats', () => {
    const names = new Set(Array.from({ length: 10_000 }, () => uniqueName('q')));
    expect(names.size).toBe(10_000);
  });
});
