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

/**
 * Maps zod issues to Intercom errors: a missing value is `parameter_not_found`, anything else
 * `parameter_invalid`, each naming its field (`event_summaries[2].count`).
 */
export function zodIssuesToErrors(issues: readonly z.core.$ZodIssue[], input: unknown): IntercomError[] {
  return issues.map((issue) => {
    const field = fieldName(issue.path);
    const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
    if (missing) return { code: 'parameter_not_found', message: `${field} is required`, field };
    return { code: 'parameter_invalid', message: `${field}: ${issue.message}`, field };
  });
}
