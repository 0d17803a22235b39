import { parseSummariesBody } from '@tally/contracts';
import { describe, expect, it } from 'vitest';
import { sendDroppingBadItems, splitByItem } from './drop-bad-items.js';
import { dryRunSender } from './dry-run.sender.js';
import type { SummaryLine } from './summary-line.js';

const summary = (line: number, item: SummaryLine['item']): SummaryLine => ({ line, text: `line ${line}`, userId: 'ann', item });
const good = (line: number) => summary(line, { event_name: `e${line}`, count: 1, first: 10, last: 20 });

describe('splitByItem', () => {
  it('rejects the items the API names, with errors about the line rather than the request', () => {
    const lines = [good(1), summary(2, { event_name: 'x', count: 'two' }), good(3)];
    const split = splitByItem(
      [{ code: 'parameter_invalid', field: 'event_summaries[1].count', message: 'event_summaries[1].count: must be an integer' }],
      lines,
    );
    expect(split.rest.map((s) => s.line)).toEqual([1, 3]);
    expect(split.rejected).toEqual([
      { line: 2, text: 'line 2', errors: [{ code: 'parameter_invalid', field: 'count', message: 'count: must be an integer' }] },
    ]);
  });

  it('rejects every line for an error that names no item', () => {
    const split = splitByItem([{ code: 'parameter_invalid', field: 'user_id', message: 'user_id: too long' }], [good(1), good(2)]);
    expect(split.rest).toEqual([]);
    expect(split.rejected.map((r) => r.line)).toEqual([1, 2]);
  });
});

describe('sendDroppingBadItems', () => {
  it('sends the good lines again, under a new round, until the API takes them', async () => {
    const sent: number[][] = [];
    const outcome = await sendDroppingBadItems([good(1), summary(2, { event_name: '' }), good(3)], async (lines, round) => {
      sent.push([round, ...lines.map((s) => s.line)]);
      const parsed = parseSummariesBody({ user_id: 'ann', event_summaries: lines.map((s) => s.item) }, 1000);
      return parsed.ok ? { ok: true } : { ok: false, errors: parsed.errors };
    });
    expect(sent).toEqual([
      [0, 1, 2, 3],
      [1, 1, 3],
    ]);
    expect(outcome.accepted).toBe(2);
    expect(outcome.replayed).toBe(0);
    expect(outcome.rejected.map((r) => [r.line, r.errors[0]?.field])).toEqual([[2, 'event_name']]);
  });

  it('tells which accepted lines the API had counted already (their try answered as replayed)', async () => {
    const outcome = await sendDroppingBadItems([good(1), summary(2, { event_name: '' }), good(3)], async (_lines, round) =>
      round === 0
        ? { ok: false, errors: [{ code: 'parameter_invalid', field: 'event_summaries[1].event_name', message: 'required' }] }
        : { ok: true, replayed: true },
    );
    expect(outcome).toMatchObject({ accepted: 2, replayed: 2 });
  });
});

describe('dryRunSender', () => {
  it("finds bad items in both of the ingress's validation passes (shape, then first/last)", async () => {
    const send = dryRunSender(() => 1000);
    const outcome = await send({
      idempotencyKey: 'k',
      userId: 'ann',
      summaries: [good(1), summary(2, { event_name: 'e', count: 0 }), summary(3, { event_name: 'e', first: 30, last: 20 }), good(4)],
    });
    expect(outcome.accepted).toBe(2);
    expect(outcome.rejected.map((r) => [r.line, r.errors.map((e) => e.message)])).toEqual([
      [2, ['count: must be at least 1']],
      [3, ['first: must not be after last (30 > 20)']],
    ]);
  });
});
