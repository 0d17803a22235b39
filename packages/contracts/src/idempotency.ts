import { hash } from 'node:crypto';
import { z } from 'zod';
import { requestSchema } from './request-schema.js';

/**
 * Idempotency, written once: the `Idempotency-Key` format, the fingerprint of a request, and how
 * a key is named in Redis (the ingress's reservation) and in the worker's ingest ledger. Client
 * keys and raw events' de-duplication keys live in namespaces of their own, so a client key can
 * never collide with, or stand in for, an event's identity.
 */

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** `Idempotency-Key` header: printable ASCII without spaces, 1–255 characters. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(IDEMPOTENCY_KEY_MAX_LENGTH)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** The `Idempotency-Key` header as a route schema: 400 naming the header when it is malformed. */
export const idempotencyKeyHeaderSchema = requestSchema(idempotencyKeySchema, (input) => {
  const parsed = idempotencyKeySchema.safeParse(Array.isArray(input) ? input.join(',') : input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: [
      {
        code: 'parameter_invalid',
        field: 'Idempotency-Key',
        message: `Idempotency-Key: ${parsed.error.issues[0]?.message ?? 'invalid'} (1–255 printable characters)`,
      },
    ],
  };
});

/** `key`: a client's Idempotency-Key. `event`: a raw event's Intercom identity (user, name, created_at). */
export type DedupKind = 'key' | 'event';

/** A validated, canonical request: plain data whose shape the schema fixed. */
export type Canonical = string | number | boolean | null | readonly Canonical[] | { readonly [key: string]: Canonical | undefined };

/** Validated requests are a few levels deep; anything deeper is a programming error, not input. */
const MAX_CANONICAL_DEPTH = 8;

/**
 * JSON with object keys sorted, so the same request reads the same whatever its key order.
 * A value whose keys are already in order everywhere (parseSummariesBody builds its canonical
 * form so) is written by JSON.stringify, which gives the very same text natively: on a batch
 * of 1,000 summaries the key-by-key path cost more CPU than validating the batch.
 */
export function canonicalJson(value: Canonical, depth = 0): string {
  return keysInOrder(value, depth) ? JSON.stringify(value) : sortedJson(value, depth);
}

function sortedJson(value: Canonical, depth: number): string {
  if (depth > MAX_CANONICAL_DEPTH) throw new Error(`canonicalJson: deeper than ${MAX_CANONICAL_DEPTH} levels`);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: Canonical) => sortedJson(v, depth + 1)).join(',')}]`;
  const entries = Object.entries(value as Record<string, Canonical | undefined>)
    .filter((entry): entry is [string, Canonical] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v, depth + 1)}`).join(',')}}`;
}

/**
 * True when JSON.stringify writes `value` exactly as sortedJson would: every object's keys in
 * ascending order (JSON.stringify, like sortedJson, leaves out undefined members) and no deeper
 * than the limit, whose error sortedJson then raises.
 */
function keysInOrder(value: Canonical, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth > MAX_CANONICAL_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value as readonly Canonical[]) if (!keysInOrder(item, depth + 1)) return false;
    return true;
  }
  let previous: string | null = null;
  for (const key in value) {
    if (previous !== null && !(previous < key)) return false;
    previous = key;
    if (!keysInOrder((value as Record<string, Canonical>)[key]!, depth + 1)) return false;
  }
  return true;
}

/**
 * Fingerprint of what a request asks for, computed on its validated canonical form (unknown
 * fields already dropped), to tell a replay from a key reused for other data.
 */
export function fingerprint(canonical: Canonical): string {
  return fingerprintOfText(canonicalJson(canonical));
}

/** The fingerprint of a request's canonical JSON text, however it was written. */
export function fingerprintOfText(canonicalText: string): string {
  return hash('sha256', canonicalText, 'base64url');
}

/** A raw event's de-duplication key: Intercom's identity of an event within a workspace. */
export function eventDedupKey(event: { user: string | readonly [string, string]; event_name: string; created_at: number }): string {
  return fingerprint([event.user, event.event_name, event.created_at]);
}

/** The ingest ledger's `_id` for a key. Client keys keep the `key:` ids the ledger always used. */
export function ledgerKeyId(workspace: string, kind: DedupKind, key: string): string {
  return `${kind}:${workspace}:${key}`;
}

/** The Redis key holding a key's reservation, under the deployment's queue prefix. */
export function reservationRedisKey(prefix: string, workspace: string, kind: DedupKind, key: string): string {
  return kind === 'key' ? `${prefix}:idem:${workspace}:${key}` : `${prefix}:idem-event:${workspace}:${key}`;
}

/**
 * A reservation's state: `pending` while its request is on the way into a job, then `done`. A
 * pending one names its owner (the request id), so only that request can release it. `refused`
 * remembers a request refused by a rule that depends on the clock (a timestamp more than a day
 * ahead) and the clock it was judged at (`at`, Unix seconds), so a repeat is judged as it was.
 */
export type Reservation =
  | { state: 'pending' | 'done'; fingerprint: string; owner?: string }
  | { state: 'refused'; fingerprint: string; at: number };

export function encodeReservation(reservation: Reservation): string {
  if (reservation.state === 'refused') return `refused:${reservation.fingerprint}:${reservation.at}`;
  const { state, fingerprint, owner } = reservation;
  return owner === undefined ? `${state}:${fingerprint}` : `${state}:${fingerprint}:${owner}`;
}

/** Reads a reservation; a bare fingerprint (written before reservations existed) reads as done. */
export function decodeReservation(value: string): Reservation {
  const [state, fingerprint, third] = value.split(':');
  if ((state === 'pending' || state === 'done') && fingerprint !== undefined) {
    return third === undefined ? { state, fingerprint } : { state, fingerprint, owner: third };
  }
  if (state === 'refused' && fingerprint !== undefined && third !== undefined && /^\d+$/.test(third)) {
    return { state, fingerprint, at: Number(third) };
  }
  return { state: 'done', fingerprint: value };
}
