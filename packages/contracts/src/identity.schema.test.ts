import { describe, expect, it } from 'vitest';
import { BODY_IDENTITY_FIELDS, normalizeEmail, parseIdentity } from './identity.schema.js';

const parse = (source: Record<string, unknown>) => parseIdentity(source, BODY_IDENTITY_FIELDS);

describe('identities', () => {
  it("maps Intercom's body fields to identity kinds", () => {
    expect(parse({ user_id: 'u' })).toEqual({ ok: true, value: { kind: 'user_id', value: 'u' } });
    expect(parse({ email: 'a@b.c' })).toEqual({ ok: true, value: { kind: 'email', value: 'a@b.c' } });
    expect(parse({ id: '63a0979a' })).toEqual({ ok: true, value: { kind: 'intercom_user_id', value: '63a0979a' } });
  });

  it('compares emails case-insensitively, ignoring surrounding whitespace', () => {
    expect(normalizeEmail('  Frodo.Baggins@Example.COM\t')).toBe('frodo.baggins@example.com');
    expect(parse({ email: 'A@B.C' })).toEqual(parse({ email: ' a@b.c ' }));
  });

  it('keeps user_id and Intercom ids exactly as sent (case and spaces count)', () => {
    expect(parse({ user_id: ' ABC ' })).toEqual({ ok: true, value: { kind: 'user_id', value: ' ABC ' } });
  });

  it.each([
    [{ user_id: '' }, 'user_id'],
    [{ user_id: 42 }, 'user_id'],
    [{ email: 'not-an-email' }, 'email'],
    [{ email: '   ' }, 'email'],
    [{ id: 'x'.repeat(256) }, 'id'],
  ])('refuses %j naming %s', (source, field) => {
    const result = parse(source);
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ code: 'parameter_invalid', field })]);
  });
});
