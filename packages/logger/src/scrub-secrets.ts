/**
 * Secrets kept out of log lines: the values of secret keys (below), and secrets that hide inside
 * strings: credentials in connection URLs (`mongodb://user:pass@host`, `redis://:pass@host`), as
 * drivers quote them in error messages, and bearer tokens pasted into a message.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):([^\s@/]+)@/gi;
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;
const CENSOR = '[redacted]';
/** What every string the two patterns above can match contains. */
const MIGHT_HOLD_SECRET = /:\/\/|bearer/i;

/**
 * Keys whose value never reaches a log line, at any depth (compared lower-cased): bearer tokens
 * travel in `Authorization`, sessions in cookies, and config objects carry the token list,
 * passwords and connection strings.
 */
export const SECRET_KEY_NAMES = ['authorization', 'cookie', 'set-cookie', 'password', 'admin_password', 'tally_tokens', 'token', 'tokens'];
const SECRET_KEYS = new Set(SECRET_KEY_NAMES);

/** Whether a value under this key is censored whole. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/** The string with URL passwords and bearer tokens replaced by `[redacted]`. */
export function scrubString(text: string): string {
  if (!MIGHT_HOLD_SECRET.test(text)) return text; // most strings: one scan instead of two rewrites
  return text.replace(URL_CREDENTIALS, `$1$2:${CENSOR}@`).replace(BEARER, `$1${CENSOR}`);
}

/**
 * A copy of `value` with every string scrubbed and every secret key's value censored, down to
 * `depth` levels (log objects are small; the bound keeps a cyclic or huge object from costing
 * more than a log line is worth).
 */
export function scrubValue(value: unknown, depth = 6): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth === 0) return '[too deep]'; // what lies below is neither scrubbed nor written
  if (value instanceof Error) return value; // serialized, then scrubbed, by the err serializer
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth - 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value; // Dates, Buffers, class instances
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) copy[key] = isSecretKey(key) ? CENSOR : scrubValue(v, depth - 1);
  return copy;
}
