import { describe, expect, it } from 'vitest';
import { identityString, identityTextProblem, isIdentityText } from './text-rules.js';

describe('identity text', () => {
  it.each(['314159', 'zoë', 'invited-friend', '😀 emoji', 'a:b/c'])('accepts %j', (value) => {
    expect(isIdentityText(value)).toBe(true);
  });

  it.each([
    ['a lone high surrogate', 'bad\ud800', /lone UTF-16 surrogate/],
    ['a lone low surrogate', '\udc00', /lone UTF-16 surrogate/],
    ['NUL', 'a\u0000b', /control characters/],
    ['a newline', 'a\nb', /control characters/],
    ['DEL', 'a\u007f', /control characters/],
    ['a C1 control', 'a\u0085', /control characters/],
  ])('refuses %s', (_label, value, message) => {
    expect(identityTextProblem(value)).toMatch(message);
  });

  it('gives zod the same rule, with the bound', () => {
    const name = identityString(5);
    expect(name.safeParse('abc').success).toBe(true);
    expect(name.safeParse('abcdef').success).toBe(false);
    expect(name.safeParse('\ud800').error?.issues[0]?.message).toMatch(/lone UTF-16 surrogate/);
  });
});
