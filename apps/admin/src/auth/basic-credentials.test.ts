import { describe, expect, it } from 'vitest';
import { credentialsMatch, parseBasicAuth } from './basic-credentials.js';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('parseBasicAuth', () => {
  it('splits at the first colon, so a password may contain colons', () => {
    expect(parseBasicAuth(basic('ops:pa:ss:word'))).toEqual({ user: 'ops', password: 'pa:ss:word' });
    expect(parseBasicAuth(basic('ops:'))).toEqual({ user: 'ops', password: '' });
    expect(parseBasicAuth(`basic  ${Buffer.from('a:b').toString('base64')}`)).toEqual({ user: 'a', password: 'b' });
  });

  it('reads non-ASCII credentials as UTF-8', () => {
    expect(parseBasicAuth(basic('ops:pässwörd'))).toEqual({ user: 'ops', password: 'pässwörd' });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a Bearer token', 'Bearer abcdef'],
    ['no colon', basic('opsonly')],
    ['not base64', 'Basic !!!'],
  ])('returns null for %s', (_name, header) => {
    expect(parseBasicAuth(header)).toBeNull();
  });
});

describe('credentialsMatch', () => {
  const expected = { user: 'admin', password: 'correct horse' };

  it('accepts only the exact user and password', () => {
    expect(credentialsMatch(expected, { user: 'admin', password: 'correct horse' })).toBe(true);
    expect(credentialsMatch(expected, { user: 'admin', password: 'correct hors' })).toBe(false);
    expect(credentialsMatch(expected, { user: 'admin', password: 'correct horse ' })).toBe(false);
    expect(credentialsMatch(expected, { user: 'Admin', password: 'correct horse' })).toBe(false);
    expect(credentialsMatch(expected, { user: 'admin', password: '' })).toBe(false);
  });
});
