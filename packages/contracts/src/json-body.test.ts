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

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, in arrays or objects, anywhere in the body`, () => {
    const deep = `{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expect(refusal(bytes(deep))).toMatch(/nested deeper than 16 levels/);
    const deepObjects = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    expect(refusal(bytes(deepObjects))).toMatch(/nested deeper than 16 levels/);
    // Past a long run of shallow items, as a batch of summaries would hide it.
    const items = Array.from({ length: 1000 }, (_, i) => `{"event_name":"e${i}","count":1}`).join(',');
    const late = `{"user_id":"u","event_summaries":[${items},{"metadata":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}]}`;
    expect(refusal(bytes(late))).toMatch(/nested deeper than 16 levels/);
    const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(parseJsonBody(bytes(atLimit)).ok).toBe(true);
    expect(parseJsonBody(bytes(`{"user_id":"u","event_summaries":[${items}]}`)).ok).toBe(true);
  });

  it('refuses deep nesting before a reviver would walk it (a body with a \\u escape or a __proto__ key)', () => {
    // JSON.parse's reviver recurses once per level: 20,000 would overflow the stack, and the
    // body would be refused for the wrong reason ("not valid JSON").
    const escaped = `{"user_id":"\\u0041","x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expect(refusal(bytes(escaped))).toMatch(/nested deeper than 16 levels/);
    const proto = `{"x":${'['.repeat(20_000)}${']'.repeat(20_000)},"__proto__":1}`;
    expect(refusal(bytes(proto))).toMatch(/nested deeper than 16 levels/);
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
