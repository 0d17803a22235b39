import type { IntercomError } from './error-list.js';
import { isWellFormedText } from './text-rules.js';

/**
 * Deepest nesting of arrays and objects a request body may have. Intercom's bodies need 3
 * (metadata's rich links and amounts are objects inside an object); anything deeper is refused
 * as it is parsed, so no later step (validation, logging, fingerprint) can overflow a stack.
 */
export const MAX_JSON_DEPTH = 16;

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; error: IntercomError };

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/**
 * Text that needs the (slower) key-by-key check: a `\u` escape is the only way a lone surrogate
 * gets past a strict decoder, and `__proto__` is refused as fastify's own parser refuses it.
 */
const NEEDS_REVIVER = /\\u|__proto__/;

/** Depth of the deepest array or object in JSON text, not counting brackets inside strings. */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Depth of the deepest array or object in a parsed value, up to the first level past `limit`
 * (the walk stops there). Far cheaper than `jsonDepth` over the text it came from: it visits
 * values, not characters, and only those that are arrays or objects.
 */
function valueDepth(value: unknown, limit: number, depth = 0): number {
  if (typeof value !== 'object' || value === null) return depth;
  const here = depth + 1;
  if (here > limit) return here;
  let deepest = here;
  // for…in, not Object.values: no array per object. A parsed object's keys are all its own.
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child !== 'object' || child === null) continue;
    const below = valueDepth(child, limit, here);
    if (below > deepest) deepest = below;
    if (deepest > limit) break;
  }
  return deepest;
}

/**
 * Whether the text holds more than `limit` opening brackets, strings included: an upper bound on
 * its depth that native searches find far faster than either walk, so a body with few brackets
 * (a request of a few summaries) skips the walk.
 */
function moreBracketsThan(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) if (++count > limit) return true;
  }
  return false;
}

const invalid = (message: string): JsonBodyResult => ({ ok: false, error: { code: 'parameter_invalid', message } });
const tooDeep = () => invalid(`Request body is nested deeper than ${MAX_JSON_DEPTH} levels`);

/**
 * Parses a request body from its raw bytes. Refused, never rewritten: bytes that are not UTF-8
 * (a lenient decoder would turn them into U+FFFD, so different user ids would read as one),
 * nesting past `MAX_JSON_DEPTH`, and strings, keys included, holding a lone surrogate.
 */
export function parseJsonBody(bytes: Uint8Array): JsonBodyResult {
  let text: string;
  try {
    text = fatalUtf8.decode(bytes);
  } catch {
    return invalid('Request body is not valid UTF-8');
  }
  if (text.trim() === '') return invalid('Request body is empty; a JSON object is expected');
  // V8's JSON.parse keeps its own stack, so any depth parses; a reviver's walk recurses, so a
  // body that needs one is measured first, from its text. The others are measured parsed, which
  // costs a fraction of walking the text (a 1,000-summary body: 26–37 µs against 194–222, measured apart).
  const revive = NEEDS_REVIVER.test(text);
  const mayBeDeep = moreBracketsThan(text, MAX_JSON_DEPTH);
  if (revive && mayBeDeep && jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return tooDeep();
  let wellFormed = true;
  let proto = false;
  let value: unknown;
  try {
    value = revive
      ? JSON.parse(text, (key, v: unknown) => {
          if (key === '__proto__') proto = true;
          if (!isWellFormedText(key) || (typeof v === 'string' && !isWellFormedText(v))) wellFormed = false;
          return v;
        })
      : JSON.parse(text);
  } catch {
    return invalid('Request body is not valid JSON');
  }
  if (!revive && mayBeDeep && valueDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return tooDeep();
  if (!wellFormed) return invalid('Request body holds a lone UTF-16 surrogate escape (\\uD800–\\uDFFF unpaired): not well-formed Unicode');
  if (proto) return invalid('Request body has a "__proto__" key');
  return { ok: true, value };
}
