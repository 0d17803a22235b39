import type { IntercomError } from './error-list.js';
import type { ParseResult } from './summary.schema.js';

/** Intercom tracks at most 10 metadata keys per event. */
export const MAX_METADATA_KEYS = 10;
/** Bound on a metadata key, in characters (the bound on event names). */
export const MAX_METADATA_KEY_LENGTH = 255;
/** Bound on a string metadata value (also a rich link's `url` and `value`), in characters. */
export const MAX_METADATA_STRING_LENGTH = 1000;

/** A metadata value as Intercom documents them: flat, or one of its two small objects. */
export type MetadataValue = string | number | { url: string; value: string } | { amount: number; currency: string };
export type EventMetadata = Record<string, MetadataValue>;

const plainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasExactly = (v: Record<string, unknown>, keys: string[]) => Object.keys(v).length === keys.length && keys.every((k) => k in v);
const HTTP_URL = /^https?:\/\/\S+$/i;

/** Why one value is refused, or null when it is one of Intercom's metadata types. */
function valueProblem(key: string, value: unknown): string | null {
  // Intercom reads a key ending in _date as a Unix timestamp.
  if (key.endsWith('_date')) {
    return Number.isSafeInteger(value) && (value as number) >= 0 ? null : 'a key ending in _date must hold a Unix timestamp in seconds';
  }
  if (typeof value === 'string') {
    return value.length > MAX_METADATA_STRING_LENGTH ? `must be at most ${MAX_METADATA_STRING_LENGTH} characters` : null;
  }
  if (typeof value === 'number') return null;
  if (plainObject(value)) {
    if (hasExactly(value, ['url', 'value'])) {
      const { url, value: text } = value;
      if (typeof url !== 'string' || !HTTP_URL.test(url) || url.length > MAX_METADATA_STRING_LENGTH)
        return 'a rich link url must be an http(s) URL of at most 1000 characters';
      if (typeof text !== 'string' || text.length > MAX_METADATA_STRING_LENGTH)
        return 'a rich link value must be a string of at most 1000 characters';
      return null;
    }
    if (hasExactly(value, ['amount', 'currency'])) {
      const { amount, currency } = value;
      if (!(Number.isSafeInteger(amount) && (amount as number) >= 0))
        return 'a monetary amount must be a whole, non-negative number of cents';
      if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency))
        return 'a monetary currency must be a three-letter ISO 4217 code';
      return null;
    }
    return 'nested objects are not supported: only a rich link {url, value} or a monetary amount {amount, currency}';
  }
  return 'must be a string, a number, a rich link {url, value} or a monetary amount {amount, currency}';
}

/**
 * Validates a raw event's `metadata` as Intercom documents it: at most {@link MAX_METADATA_KEYS}
 * keys, flat string or number values, or a rich link or monetary amount object. Intercom
 * silently drops keys past the tenth; Tally refuses them instead, so nothing sent is lost
 * unseen. Key order is kept: it is part of what the event list gives back.
 */
export function parseEventMetadata(raw: unknown): ParseResult<EventMetadata | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  const fail = (field: string, why: string): ParseResult<never> => ({
    ok: false,
    errors: [{ code: 'parameter_invalid', field, message: `${field}: ${why}` } satisfies IntercomError],
  });
  if (!plainObject(raw)) return fail('metadata', 'must be an object of flat values');
  const entries = Object.entries(raw);
  if (entries.length > MAX_METADATA_KEYS) return fail('metadata', `must have at most ${MAX_METADATA_KEYS} keys (got ${entries.length})`);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > MAX_METADATA_KEY_LENGTH)
      return fail('metadata', `keys must be 1–${MAX_METADATA_KEY_LENGTH} characters`);
    const problem = valueProblem(key, value);
    if (problem !== null) return fail(`metadata.${key}`, problem);
  }
  return { ok: true, value: raw as EventMetadata };
}
