import { describe, expect, it } from 'vitest';
import { sampleValue } from './metrics-scrape.js';

const text = `# HELP t_total help
# TYPE t_total counter
t_total{route="/a",status="200"} 3
t_total{route="/a",status="503"} 2
t_total{route="/b",status="200"} 5
plain 7
`;

describe('sampleValue', () => {
  it('sums the series whose labels include the ones asked for', () => {
    expect(sampleValue(text, 't_total', { route: '/a' })).toBe(5);
    expect(sampleValue(text, 't_total', { status: '200' })).toBe(8);
    expect(sampleValue(text, 't_total')).toBe(10);
    expect(sampleValue(text, 'plain')).toBe(7);
  });

  it('reads 0 for a metric or label set that is absent', () => {
    expect(sampleValue(text, 'missing')).toBe(0);
    expect(sampleValue(text, 't_total', { route: '/c' })).toBe(0);
  });
});
