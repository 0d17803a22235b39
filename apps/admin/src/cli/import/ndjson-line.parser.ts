import { ITEM_FIELDS, type ReadLine, type SummaryItemInput, userIdOf, withoutByteOrderMark } from './summary-line.js';

/** A JSON string holding nothing that JSON.stringify would write otherwise (no escapes). */
const PLAIN_STRING = String.raw`"[^"\\\u0000-\u001f]*"`;
/** An integer JSON.parse and JSON.stringify give back digit for digit (no -0, no rounding). */
const EXACT_INTEGER = String.raw`(?:0|-?[1-9]\d{0,14})`;
/**
 * A line exactly as `tally export` writes it. Such a line is valid JSON whose item, serialised
 * again, is the text after its user id, byte for byte: the request's body is the one parsing
 * would build, so keys, fingerprints and the API's answers are those of the parsed path.
 */
const EXPORT_SHAPE = new RegExp(
  String.raw`^\{"user_id":"([^"\\\u0000-\u001f]+)",("event_name":${PLAIN_STRING},"count":${EXACT_INTEGER},"first":${EXACT_INTEGER},"last":${EXACT_INTEGER}\})$`,
);

/**
 * Reads one NDJSON line: `{"user_id","event_name","count","first","last"}` (times in Unix
 * seconds, as `tally export` writes them). Unknown fields are ignored, as the API ignores them.
 * A line in the export's exact shape is matched rather than parsed: JSON.parse and building the
 * item, then serialising it into the body, were the import's largest CPU cost per line.
 */
export function parseNdjsonLine(text: string, line: number): ReadLine {
  const shaped = EXPORT_SHAPE.exec(text);
  if (shaped !== null) return { kind: 'summary', summary: { line, text, userId: shaped[1]!, item: `{${shaped[2]}` } };
  if (text.trim() === '') return { kind: 'skip' };
  let value: unknown;
  try {
    value = JSON.parse(withoutByteOrderMark(text, line));
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
