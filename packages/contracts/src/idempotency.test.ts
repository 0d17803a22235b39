import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  decodeReservation,
  encodeReservation,
  eventDedupKey,
  fingerprint,
  ledgerKeyId,
  reservationRedisKey,
} from './idempotency.js';
import { parseSummariesBody, summariesFingerprint } from './summary.schema.js';

describe('fingerprint', () => {
  it('does not depend on key order', () => {
    const a = { user_id: 'u', event_summaries: [{ event_name: 'e', count: 2, first: 1, last: 2 }] };
    const b = { event_summaries: [{ last: 2, first: 1, count: 2, event_name: 'e' }], user_id: 'u' };
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(fingerprint(b)).toBe(fingerprint(a));
  });

  it('tells different requests apart', () => {
    expect(fingerprint({ count: 1 })).not.toBe(fingerprint({ count: 100 }));
  });

  it('ignores absent optional fields, and refuses what a validated request cannot be', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(() => fingerprint(deep as never)).toThrow(/deeper than/);
  });
});

describe('fingerprint of a summaries request', () => {
  it('is the same text whether keys come sorted (the fast path) or not', () => {
    const sorted = { a: 1, b: [{ c: 'x', d: undefined, e: [1, { f: null, g: true }] }] };
    const unsorted = { b: [{ e: [1, { g: true, f: null }], c: 'x' }], a: 1 };
    expect(canonicalJson(sorted)).toBe('{"a":1,"b":[{"c":"x","e":[1,{"f":null,"g":true}]}]}');
    expect(canonicalJson(unsorted)).toBe(canonicalJson(sorted));
    // Integer-like keys enumerate in numeric order, not text order: the slow path sorts them.
    expect(canonicalJson({ 9: 1, 10: 2 })).toBe('{"10":2,"9":1}');
  });

  it('has not changed: a client retrying across an upgrade must not read as a reused key (422)', () => {
    const fingerprintOf = (body: unknown) => {
      const parsed = parseSummariesBody(body, 1_800_000_000);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      return fingerprint(parsed.canonical);
    };
    // Values computed by the key-by-key canonicalJson, before the JSON.stringify path existed.
    const batch = {
      user_id: 'ann',
      event_summaries: [
        { event_name: 'signed-up', count: 2, first: 1_700_000_000, last: 1_700_000_100, extra: 1 },
        { last: 1_700_000_000, event_name: 'paid' },
      ],
    };
    expect(fingerprintOf(batch)).toBe('CrYy5YbChmISQoEyRiY7yXUIPaDw8Fq3-B1Obvb_ROU');
    expect(fingerprintOf({ user_id: 'bob', event_summaries: { event_name: 'x' } })).toBe('c2BQtQyUU5jSvV5X5LS4JJG9piDDp8zNr9OuDg5j044');
    // The route's writer gives the very same values.
    const direct = (body: unknown) => {
      const parsed = parseSummariesBody(body, 1_800_000_000);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      return summariesFingerprint(parsed.canonical);
    };
    expect(direct(batch)).toBe('CrYy5YbChmISQoEyRiY7yXUIPaDw8Fq3-B1Obvb_ROU');
    expect(direct({ user_id: 'bob', event_summaries: { event_name: 'x' } })).toBe('c2BQtQyUU5jSvV5X5LS4JJG9piDDp8zNr9OuDg5j044');
  });

  it("is written by the route's template exactly as by canonicalJson, whatever the names hold", () => {
    const names = ['plain', 'quote " and \\ backslash', "slash / and apostrophe '", 'é ü 中文 👍', '\u2028\u2029', '</script>', ' '];
    const items = names.flatMap((event_name, i) => [
      { event_name, count: 1 + i },
      { event_name, count: 1_000_000_000, first: 0, last: 1_800_000_000 + i },
      { event_name, first: 1_700_000_000 },
      { event_name, last: 1_700_000_001, count: 3 },
    ]);
    for (const user_id of names) {
      for (const event_summaries of [items, items.slice(0, 1), items.slice(3, 9)]) {
        const parsed = parseSummariesBody({ user_id, event_summaries }, 1_800_000_000);
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        expect(summariesFingerprint(parsed.canonical)).toBe(fingerprint(parsed.canonical));
      }
    }
  });
});

describe('key namespaces', () => {
  it('keeps client keys and event keys apart, in the ledger and in Redis', () => {
    const event = eventDedupKey({ user: 'u', event_name: 'e', created_at: 1 });
    expect(ledgerKeyId('acme', 'key', event)).not.toBe(ledgerKeyId('acme', 'event', event));
    expect(reservationRedisKey('t', 'acme', 'key', event)).not.toBe(reservationRedisKey('t', 'acme', 'event', event));
    // An email user never shares an event key with a user_id spelled the same.
    expect(eventDedupKey({ user: ['email', 'a@b.c'], event_name: 'e', created_at: 1 })).not.toBe(
      eventDedupKey({ user: 'a@b.c', event_name: 'e', created_at: 1 }),
    );
    // Client keys keep the ids the ledger always used.
    expect(ledgerKeyId('acme', 'key', 'k1')).toBe('key:acme:k1');
  });

  it('round-trips a reservation and reads a legacy bare fingerprint as done', () => {
    const pending = { state: 'pending', fingerprint: 'abc', owner: '2f1c-9e' } as const;
    expect(decodeReservation(encodeReservation(pending))).toEqual(pending);
    expect(decodeReservation(encodeReservation({ state: 'done', fingerprint: 'abc' }))).toEqual({ state: 'done', fingerprint: 'abc' });
    expect(decodeReservation('abc')).toEqual({ state: 'done', fingerprint: 'abc' });
    const refused = { state: 'refused', fingerprint: 'abc', at: 1_764_633_600 } as const;
    expect(decodeReservation(encodeReservation(refused))).toEqual(refused);
  });
});
