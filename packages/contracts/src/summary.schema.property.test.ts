import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUTURE_TOLERANCE_SECONDS, parseSummariesBody, rejudgeRefusedSummaries, summariesFingerprint } from './summary.schema.js';

/**
 * What remembering a keyed refusal relies on, over generated requests judged at generated clocks:
 * a refused body's fingerprint is the same whenever it is judged; a refusal the clock has no
 * part in stays exactly that refusal later; and a request refused by the clock alone reserves,
 * once the clock accepts it, under the fingerprint its refusal was remembered by.
 */
const NOW = 1_764_633_600;
const DAY = FUTURE_TOLERANCE_SECONDS;
/** Each property also checks that enough generated cases reached the branch it is about. */
const RUNS = 1000;

/** Mostly good values, sometimes a bad one: every rule gets its turn. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: bad, weight: 1 });
const seconds = fc.integer({ min: NOW - 3 * DAY, max: NOW + 3 * DAY });
/** first and last: in order, swapped, one or both missing, or not seconds at all. */
const times = fc.oneof(
  { arbitrary: fc.tuple(seconds, fc.nat(DAY)).map(([at, span]) => ({ first: at, last: at + span })), weight: 8 },
  { arbitrary: fc.tuple(seconds, fc.integer({ min: 1, max: DAY })).map(([at, span]) => ({ first: at + span, last: at })), weight: 1 },
  { arbitrary: seconds.map((at) => ({ first: at })), weight: 1 },
  { arbitrary: fc.constant({}), weight: 1 },
  { arbitrary: fc.constantFrom({ first: NOW * 1000 }, { last: -1 }, { first: 1.5, last: 2 }), weight: 1 },
);
const item = fc
  .record({
    event_name: mostly(fc.constantFrom('signed-up', 'paid', 'e'), fc.constant('')),
    count: mostly(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, -3, 2.5)),
    times,
    extra: fc.constantFrom(undefined, 'ignored'),
  })
  .map(({ times, extra, ...rest }) => ({ ...rest, ...times, ...(extra === undefined ? {} : { extra }) }));
const body = fc.oneof(
  fc.record({ user_id: mostly(fc.constant('u'), fc.constant('')), event_summaries: fc.array(item, { minLength: 1, maxLength: 3 }) }),
  fc.record({ user_id: fc.constant('u'), event_summaries: item }),
);
/** Two clocks, the second no earlier than the first. */
const clocks = fc
  .tuple(fc.integer({ min: NOW - 2 * DAY, max: NOW + 4 * DAY }), fc.integer({ min: 0, max: 6 * DAY }))
  .map(([first, later]) => [first, first + later] as const);

describe('rejudgeRefusedSummaries, over generated requests', () => {
  it('gives a refused body the same fingerprint at any clock', () => {
    let hits = 0;
    fc.assert(
      fc.property(body, clocks, (b, [t1, t2]) => {
        const one = rejudgeRefusedSummaries(b, t1);
        const two = rejudgeRefusedSummaries(b, t2);
        if (one.ok || two.ok) return;
        hits++;
        expect(two.fingerprint).toBe(one.fingerprint);
      }),
      { numRuns: RUNS },
    );
    expect(hits).toBeGreaterThan(RUNS / 10);
  });

  it('refuses a body the same way at every later clock when the clock had no part in its refusal', () => {
    let hits = 0;
    fc.assert(
      fc.property(body, clocks, (b, [t1, t2]) => {
        const one = rejudgeRefusedSummaries(b, t1);
        if (one.ok || one.byClock) return;
        hits++;
        const two = rejudgeRefusedSummaries(b, t2);
        expect(two).toMatchObject({ ok: false, byClock: false, errors: one.errors });
      }),
      { numRuns: RUNS },
    );
    expect(hits).toBeGreaterThan(RUNS / 10);
  });

  it('reserves a request the clock refused, once accepted, under the fingerprint of its refusal', () => {
    let hits = 0;
    fc.assert(
      fc.property(body, clocks, (b, [t1, t2]) => {
        const refused = rejudgeRefusedSummaries(b, t1);
        const accepted = parseSummariesBody(b, t2);
        if (refused.ok || !accepted.ok) return;
        hits++;
        expect(refused.byClock).toBe(true);
        expect(summariesFingerprint(accepted.canonical)).toBe(refused.fingerprint);
      }),
      { numRuns: RUNS },
    );
    expect(hits).toBeGreaterThan(RUNS / 50);
  });
});
