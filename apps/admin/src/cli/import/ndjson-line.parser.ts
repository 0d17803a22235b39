import { ITEM_FIELDS, type ReadLine, type SummaryItemInput, userIdOf } from './summary-line.js';

/**
 * Reads one NDJSON line: `{"user_id","event_name","count","first","last"}` (times in Unix
 * seconds, as `tally export` writes them). Unknown fields are ignored, as the API ignores them.
 */
export function parseNdjsonLine(text: string, line: number): ReadLine {
  if (text.trim() === '') return { kind: 'skip' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      kind: 'rejected',
      rejected: { line, text, errors: [{ code: 'parameter_invalid', message: `not valid JSON: ${(error as Error).message}` }] },
    };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      kind: 'rejected',
      rejected: { line, text, errors: [{ code: 'parameter_invalid', message: 'each line must be a JSON object' }] },
    };
  }
  const record = value as Record<string, unknown>;
  const user = userIdOf(record.user_id, line, text);
  if ('rejected' in user) return { kind: 'rejected', rejected: user.rejected };
  const item: SummaryItemInput = {};
  for (const field of ITEM_FIELDS) if (record[field] !== undefined) item[field] = record[field];
  return { kind: 'summary', summary: { line, text, userId: user.userId, item } };
}
