import type { Document } from 'mongodb';
import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { bulkResult } from './collection-operations.js';
import type { LsidLookup } from './unified-matcher.js';
import { mismatch } from './unified-matcher.js';

/**
 * Checks an operation's error against its `expectError`: client or server error, message
 * substring, code and code name, labels present or absent, the partial result of a bulk write,
 * the raw server response. Returns the first mismatch, or null.
 */
export function errorMismatch(expected: Document, err: unknown, lsidOf: LsidLookup): string | null {
  if (!(err instanceof Error)) return `expected an error, the operation succeeded`;
  const e = err as Error & { code?: unknown; codeName?: unknown; errorResponse?: Document; hasErrorLabel?: (l: string) => boolean };
  const isServer = err instanceof MongoServerError;
  const describe = `${err.constructor.name}: ${err.message}`;
  // The format counts network errors as client errors: they never come from the server.
  if (expected.isClientError === true && isServer) return `expected a client error, got ${describe}`;
  if (expected.isClientError === false && !isServer) return `expected a server error, got ${describe}`;
  if (typeof expected.errorContains === 'string' && !err.message.toLowerCase().includes(expected.errorContains.toLowerCase())) {
    return `expected the message to contain "${expected.errorContains}", got ${describe}`;
  }
  if (expected.errorCode !== undefined && e.code !== expected.errorCode)
    return `expected code ${expected.errorCode}, got ${describe} (code ${String(e.code)})`;
  if (expected.errorCodeName !== undefined && e.codeName !== expected.errorCodeName) {
    return `expected codeName ${expected.errorCodeName}, got ${describe} (${String(e.codeName)})`;
  }
  for (const label of (expected.errorLabelsContain ?? []) as string[]) {
    if (!e.hasErrorLabel?.(label)) return `expected label ${label}, got ${describe}`;
  }
  for (const label of (expected.errorLabelsOmit ?? []) as string[]) {
    if (e.hasErrorLabel?.(label)) return `expected no label ${label}, got ${describe}`;
  }
  if (expected.expectResult !== undefined) {
    const actual = err instanceof MongoBulkWriteError ? bulkResult(err.result) : undefined;
    const bad = mismatch(expected.expectResult, actual, lsidOf);
    if (bad) return `error result: ${bad}`;
  }
  if (expected.errorResponse !== undefined) {
    const bad = mismatch(expected.errorResponse, e.errorResponse, lsidOf);
    if (bad) return `error response: ${bad}`;
  }
  return null;
}
