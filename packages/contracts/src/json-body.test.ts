import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonBody } from './json-body.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const refusal = (input: Uint8Array) => {
  const result = parseJsonBody(input);
  if (result.ok) throw new Error('expected a refusal');
  return result.error.message;
};

describe('parseJsonBody', () => {
  it('parses a UTF-8 body, non-ASCII and surrogate pairs included', () => {
    expect(parseJsonBody(bytes('{"user_id":"zoë 😀","n":"\\ud83d\\ude00"}'))).toEqual({ ok: true, value: { user_id: 'zoë 😀', n: '😀' } });
  });

  it('refuses bytes that are not UTF-8 instead of rewriting them to U+FFFD', () => {
    const latin1 = Uint8Array.from([...bytes('{"user_id":"zo'), 0xeb, ...bytes('"}')]);
    expect(refusal(latin1)).toBe('Request body is not valid UTF-8');
    // A lone surrogate encoded as UTF-8 bytes (CESU-style) is not UTF-8 either.
    expect(refusal(Uint8Array.from([...bytes('{"a":"'), 0xed, 0xa0, 0x80, ...bytes('"}')]))).toBe('Request body is not valid UTF-8');
  });

  it('refuses a lone surrogate escape in a value or a key', () => {
    expect(refusal(bytes('{"user_id":"\\ud800"}'))).toMatch(/lone UTF-16 surrogate/);
    expect(refusal(bytes('{"metadata":{"\\udfff":1}}'))).toMatch(/lone UTF-16 surrogate/);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels before parsing it`, () => {
    const deep = `{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expect(refusal(bytes(deep))).toMatch(/nested deeper than 16 levels/);
    const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(parseJsonBody(bytes(atLimit)).ok).toBe(true);
  });

  it('counts no brackets inside strings', () => {
    expect(jsonDepth('{"a":"[[[[\\"{{{{"}')).toBe(1);
  });

  it('refuses bad framing, an empty body and a __proto__ key', () => {
    expect(refusal(bytes('{"a":'))).toBe('Request body is not valid JSON');
    expect(refusal(bytes('  '))).toMatch(/empty/);
    expect(refusal(bytes('{"__proto__":{"admin":true}}'))).toMatch(/__proto__/);
  });
});
