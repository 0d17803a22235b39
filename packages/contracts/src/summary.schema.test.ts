import { describe, expect, it } from 'vitest';
import { MAX_SUMMARIES_PER_REQUEST, parseSummariesBody, rejudgeRefusedSummaries, summariesFingerprint } from './summary.schema.js';

const now = 1_700_000_000;
const ok = (body: unknown) => {
  const result = parseSummariesBody(body, now);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
};
const errors = (body: unknown) => {
  const result = parseSummariesBody(body, now);
  if (result.ok) throw new Error('expected a validation error');
  return result.errors;
};

describe('parseSummariesBody', () => {
  it("accepts Intercom's documented example", () => {
    expect(
      ok({ user_id: '314159', event_summaries: { event_name: 'invited-friend', count: 1, first: 1671028894, last: 1671028894 } }),
    ).toEqual([{ user_id: '314159', event_name: 'invited-friend', count: 1, first: 1671028894, last: 1671028894 }]);
  });

  it('accepts a batch and fills count, first and last', () => {
    const value = ok({
      user_id: 'u',
      event_summaries: [{ event_name: 'a' }, { event_name: 'b', first: 10 }, { event_name: 'c', last: 20, count: 3 }],
    });
    expect(value).toEqual([
      { user_id: 'u', event_name: 'a', count: 1, first: now, last: now },
      { user_id: 'u', event_name: 'b', count: 1, first: 10, last: 10 },
      { user_id: 'u', event_name: 'c', count: 3, first: 20, last: 20 },
    ]);
  });

  it('names a missing field with parameter_not_found', () => {
    expect(errors({ event_summaries: { event_name: 'a' } })).toEqual([
      { code: 'parameter_not_found', field: 'user_id', message: 'user_id is required' },
    ]);
    expect(errors({ user_id: 'u', event_summaries: [{ event_name: 'a' }, {}] })[0]).toMatchObject({
      code: 'parameter_not_found',
      field: 'event_summaries[1].event_name',
    });
  });

  it.each([
    ['a numeric user_id', { user_id: 42, event_summaries: { event_name: 'a' } }, 'user_id'],
    ['an empty user_id', { user_id: '', event_summaries: { event_name: 'a' } }, 'user_id'],
    ['an over-long event_name', { user_id: 'u', event_summaries: { event_name: 'x'.repeat(256) } }, 'event_summaries.event_name'],
    ['a negative count', { user_id: 'u', event_summaries: { event_name: 'a', count: -1 } }, 'event_summaries.count'],
    ['a zero count', { user_id: 'u', event_summaries: { event_name: 'a', count: 0 } }, 'event_summaries.count'],
    ['a fractional count', { user_id: 'u', event_summaries: { event_name: 'a', count: 1.5 } }, 'event_summaries.count'],
    ['a string count', { user_id: 'u', event_summaries: { event_name: 'a', count: '2' } }, 'event_summaries.count'],
    ['a fractional timestamp', { user_id: 'u', event_summaries: { event_name: 'a', first: 1.5 } }, 'event_summaries.first'],
    ['a timestamp before 1970', { user_id: 'u', event_summaries: { event_name: 'a', last: -5 } }, 'event_summaries.last'],
    ['a timestamp in milliseconds', { user_id: 'u', event_summaries: { event_name: 'a', first: now * 1000 } }, 'event_summaries.first'],
    ['first after last', { user_id: 'u', event_summaries: { event_name: 'a', first: 20, last: 10 } }, 'event_summaries.first'],
    ['an empty batch', { user_id: 'u', event_summaries: [] }, 'event_summaries'],
    ['a non-object body', 'hello', 'body'],
  ])('rejects %s with parameter_invalid naming the field', (_label, body, field) => {
    const [first] = errors(body);
    expect(first).toMatchObject({ code: 'parameter_invalid', field });
  });

  it('accepts a timestamp up to a day ahead (clock skew) and refuses beyond', () => {
    expect(ok({ user_id: 'u', event_summaries: { event_name: 'a', first: now + 86_400 } })).toHaveLength(1);
    expect(errors({ user_id: 'u', event_summaries: { event_name: 'a', first: now + 86_401 } })[0]?.field).toBe('event_summaries.first');
  });

  it(`caps a batch at ${MAX_SUMMARIES_PER_REQUEST} summaries`, () => {
    const batch = (n: number) => ({ user_id: 'u', event_summaries: Array.from({ length: n }, () => ({ event_name: 'a' })) });
    expect(ok(batch(MAX_SUMMARIES_PER_REQUEST))).toHaveLength(MAX_SUMMARIES_PER_REQUEST);
    expect(errors(batch(MAX_SUMMARIES_PER_REQUEST + 1))[0]?.field).toBe('event_summaries');
  });

  it('explains a body that is not JSON, naming it', () => {
    expect(errors('user_id=1')).toEqual([
      {
        code: 'parameter_invalid',
        field: 'body',
        message: 'body: must be a JSON object (got a string); send it with Content-Type: application/json',
      },
    ]);
  });

  it('reports a millisecond timestamp once, on the field sent, with the seconds it probably meant', () => {
    expect(errors({ user_id: 'u', event_summaries: { event_name: 'a', first: 1_671_028_894_000 } })).toEqual([
      {
        code: 'parameter_invalid',
        field: 'event_summaries.first',
        message:
          'event_summaries.first: must not be more than a day in the future (1671028894000 looks like milliseconds: send Unix seconds, e.g. 1671028894)',
      },
    ]);
  });

  it('reports every problem of a request at once, shape and time rules alike', () => {
    const found = errors({
      user_id: 'u',
      event_summaries: [{ event_name: 'a', count: 'two' }, { event_name: 'b', first: 20, last: 10 }, { event_name: '' }],
    });
    expect(found.map((error) => error.field).sort()).toEqual([
      'event_summaries[0].count',
      'event_summaries[1].first',
      'event_summaries[2].event_name',
    ]);
    expect(found.find((error) => error.field === 'event_summaries[0].count')?.message).toBe(
      'event_summaries[0].count: must be an integer (got a string)',
    );
  });

  it('rejects the whole batch when one item is bad', () => {
    const result = parseSummariesBody({ user_id: 'u', event_summaries: [{ event_name: 'a' }, { event_name: 'b', count: -1 }] }, now);
    expect(result.ok).toBe(false);
  });
});

describe('identity strings and the canonical request', () => {
  it('refuses a lone surrogate and control characters in user_id and event_name', () => {
    expect(errors({ user_id: 'bad\ud800', event_summaries: { event_name: 'e' } })[0]).toMatchObject({ field: 'user_id' });
    expect(errors({ user_id: 'u', event_summaries: [{ event_name: 'e\u0000' }] })[0]).toMatchObject({
      field: 'event_summaries[0].event_name',
    });
  });

  it('gives one canonical form for a single summary and a batch of one, before defaults', () => {
    const single = parseSummariesBody({ user_id: 'u', event_summaries: { event_name: 'e', extra: { deep: [1] } } }, now);
    const batch = parseSummariesBody({ event_summaries: [{ count: 1, event_name: 'e' }], user_id: 'u' }, now + 3600);
    expect(single.ok && single.canonical).toEqual({ user_id: 'u', event_summaries: [{ event_name: 'e', count: 1 }] });
    expect(batch.ok && batch.canonical).toEqual(single.ok && single.canonical);
  });
});

describe('rejudgeRefusedSummaries', () => {
  const DAY = 86_400;
  const item = (count: number, at: number) => ({ event_name: 'e', count, first: at, last: at });

  it('marks a refusal by the clock alone, under the fingerprint the request gets once the clock accepts it', () => {
    const body = { user_id: 'u', event_summaries: [item(1, now), item(2, now + DAY + 1)] };
    const refused = rejudgeRefusedSummaries(body, now);
    const accepted = parseSummariesBody(body, now + 2 * DAY);
    expect(refused).toMatchObject({ ok: false, byClock: true });
    expect(refused.ok === false && refused.errors.map((e) => e.field)).toEqual(['event_summaries[1].first', 'event_summaries[1].last']);
    expect(refused.ok === false && refused.fingerprint).toBe(accepted.ok && summariesFingerprint(accepted.canonical));
  });

  it('marks a refusal by the clock and by a rule of its own, under a fingerprint of the body', () => {
    const body = { user_id: 'u', event_summaries: [item(0, now), item(2, now + DAY + 1)] };
    const refused = rejudgeRefusedSummaries(body, now);
    expect(refused).toMatchObject({ ok: false, byClock: true });
    // Judged two days later it is refused for the count alone, and gives the same fingerprint.
    const later = rejudgeRefusedSummaries(body, now + 2 * DAY);
    expect(later).toMatchObject({ ok: false, byClock: false });
    expect(later.ok === false && later.errors.map((e) => e.field)).toEqual(['event_summaries[0].count']);
    expect(later.ok === false && later.fingerprint).toBe(refused.ok === false && refused.fingerprint);
    const other = rejudgeRefusedSummaries({ ...body, user_id: 'v' }, now);
    expect(other.ok === false && other.fingerprint).not.toBe(refused.ok === false && refused.fingerprint);
  });

  it('does not mark a refusal the clock has no part in, and accepts a request the clock has passed', () => {
    expect(rejudgeRefusedSummaries({ user_id: 'u', event_summaries: [item(0, now)] }, now)).toMatchObject({ ok: false, byClock: false });
    // first after last is refused whatever the clock reads.
    const backwards = { user_id: 'u', event_summaries: [{ event_name: 'e', first: now, last: now - 1 }] };
    expect(rejudgeRefusedSummaries(backwards, now)).toMatchObject({ ok: false, byClock: false });
    expect(rejudgeRefusedSummaries({ user_id: 'u', event_summaries: [item(1, now + DAY + 1)] }, now + 2)).toMatchObject({ ok: true });
  });
});
