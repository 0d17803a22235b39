import { describe, expect, it } from 'vitest';
import { combineSummaries } from './combine-summaries.js';

const request = (workspace: string, summaries: [string, string, number, number, number][]) => ({
  requestId: 'r',
  workspace,
  summaries: summaries.map(([user_id, event_name, count, first, last]) => ({ user_id, event_name, count, first, last })),
});

describe('combineSummaries', () => {
  it('sums counts, takes the earliest first and the latest last per key', () => {
    const deltas = combineSummaries([
      request('w', [
        ['u', 'e', 2, 100, 150],
        ['u', 'e', 3, 50, 120],
      ]),
      request('w', [['u', 'e', 1, 200, 300]]),
    ]);
    expect(deltas).toEqual([{ workspace: 'w', user_id: 'u', event_name: 'e', count: 6, first: new Date(50_000), last: new Date(300_000) }]);
  });

  it('keeps workspaces, users and events apart', () => {
    const deltas = combineSummaries([
      request('w1', [
        ['u', 'e', 1, 1, 1],
        ['u', 'f', 1, 1, 1],
        ['v', 'e', 1, 1, 1],
      ]),
      request('w2', [['u', 'e', 1, 1, 1]]),
    ]);
    expect(deltas).toHaveLength(4);
  });

  it('does not confuse keys that only differ by where a separator falls', () => {
    const deltas = combineSummaries([
      request('w', [
        ['a:b', 'c', 1, 1, 1],
        ['a', 'b:c', 1, 1, 1],
      ]),
    ]);
    expect(deltas).toHaveLength(2);
  });

  it('gives the same result in any order', () => {
    const a = request('w', [['u', 'e', 2, 10, 20]]);
    const b = request('w', [['u', 'e', 5, 5, 15]]);
    expect(combineSummaries([a, b])).toEqual(combineSummaries([b, a]));
  });
});
