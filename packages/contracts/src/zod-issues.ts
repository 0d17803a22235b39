import type { z } from 'zod';
import type { IntercomError } from './error-list.js';

function fieldName(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cursor: unknown = input;
  for (const part of path) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<PropertyKey, unknown>)[part];
  }
  return cursor;
}

/** `a string`, `an array`, `null`: what a client sent, in words. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

/**
 * The rule an issue broke, in words. Schemas state their own rules (`must be at least 1`); zod's
 * generic texts ("Invalid input: expected object, received string") are rewritten, and a wrong
 * type always says what was received.
 */
function ruleOf(issue: z.core.$ZodIssue, value: unknown): string {
  const generic = /^Invalid input/.test(issue.message);
  if (issue.code === 'invalid_type') {
    const expected = issue.expected === 'object' ? 'a JSON object' : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    const rule = generic ? `must be ${expected}` : issue.message;
    return `${rule} (got ${describeValue(value)})`;
  }
  return issue.message;
}

/**
 * Maps zod issues to Intercom errors, every one of them (a client fixes a request in one round
 * trip): a missing value is `parameter_not_found`, anything else `parameter_invalid`. Each names
 * its field (`event_summaries[2].count`, or `body` for the request body itself) and states the
 * rule in its message.
 */
export function zodIssuesToErrors(issues: readonly z.core.$ZodIssue[], input: unknown): IntercomError[] {
  return issues.map((issue) => {
    const value = valueAt(input, issue.path);
    if (issue.path.length === 0) {
      return {
        code: 'parameter_invalid',
        field: 'body',
        message: `body: must be a JSON object (got ${describeValue(input)}); send it with Content-Type: application/json`,
      };
    }
    const field = fieldName(issue.path);
    if (issue.code === 'invalid_type' && value === undefined)
      return { code: 'parameter_not_found', message: `${field} is required`, field };
    return { code: 'parameter_invalid', message: `${field}: ${ruleOf(issue, value)}`, field };
  });
}
