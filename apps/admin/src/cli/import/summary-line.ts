import type { IntercomError } from '@tally/contracts';

/**
 * One summary read from the input, ready to be sent: its 1-based line number in the input and
 * the fields of one `event_summaries` item, as written (the API, not this reader, judges them).
 */
export interface SummaryLine {
  line: number;
  /** The line as it appeared in the input, so a rejected line can be fixed and re-imported. */
  text: string;
  userId: string;
  /**
   * The item: its fields as an object, or already serialised — a line in the export's exact
   * shape gives its item's JSON without being parsed (see ndjson-line.parser.ts).
   */
  item: SummaryItemInput | string;
}

/** An `event_summaries` item before validation: whatever the input held under these names. */
export interface SummaryItemInput {
  event_name?: unknown;
  count?: unknown;
  first?: unknown;
  last?: unknown;
}

/** A line that will not be counted, with the reasons in Intercom's `error.list` shape. */
export interface RejectedLine {
  line: number;
  text: string;
  errors: IntercomError[];
}

/** What reading one input line gives: a summary, a rejection, or nothing (a blank line, a header). */
export type ReadLine = { kind: 'summary'; summary: SummaryLine } | { kind: 'rejected'; rejected: RejectedLine } | { kind: 'skip' };

export const ITEM_FIELDS = ['event_name', 'count', 'first', 'last'] as const;

/**
 * The line's user id, or the rejection saying why there is none. A user id is checked here
 * because it decides which request the line joins; everything else is left to the API.
 */
export function userIdOf(value: unknown, line: number, text: string): { userId: string } | { rejected: RejectedLine } {
  if (value === undefined || value === null || value === '') {
    return { rejected: { line, text, errors: [{ code: 'parameter_not_found', field: 'user_id', message: 'user_id is required' }] } };
  }
  if (typeof value !== 'string') {
    return { rejected: { line, text, errors: [{ code: 'parameter_invalid', field: 'user_id', message: 'user_id: must be a string' }] } };
  }
  return { userId: value };
}

/** Line 1's text without the byte-order mark some UTF-8 files open with (Windows tools write one). */
export function withoutByteOrderMark(text: string, line: number): string {
  return line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
