import { createHash, timingSafeEqual } from 'node:crypto';

/** A user name and password, as configured or as presented by a client. */
export interface BasicCredentials {
  user: string;
  password: string;
}

/** The realm browsers show in their login prompt; also sent on every 401. */
export const BASIC_REALM = 'tally-admin';

/**
 * Reads `Authorization: Basic base64(user:password)`; null when the header is absent or is not a
 * well-formed Basic header. The password is everything after the first colon (RFC 7617).
 */
export function parseBasicAuth(header: string | undefined): BasicCredentials | null {
  const match = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when both parts match. Both are compared as sha256 digests in constant time, and both
 * comparisons always run, so the response time reveals neither the secrets' lengths nor whether
 * the user name alone was right.
 */
export function credentialsMatch(expected: BasicCredentials, presented: BasicCredentials): boolean {
  const userMatches = timingSafeEqual(digest(expected.user), digest(presented.user));
  const passwordMatches = timingSafeEqual(digest(expected.password), digest(presented.password));
  return userMatches && passwordMatches;
}
