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
  });
});
