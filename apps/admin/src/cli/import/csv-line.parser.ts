import type { IntercomError } from '@tally/contracts';
import { ITEM_FIELDS, type ReadLine, type SummaryItemInput, userIdOf, withoutByteOrderMark } from './summary-line.js';

/**
 * Splits one CSV record (RFC 4180 quoting: `"a ""b"", c"`), or says why it cannot. A quoted field
 * may not span lines: user ids and event names never hold a newline worth keeping, and one
 * record per line is what keeps line numbers meaningful in the rejected file. Nor may anything
 * but a comma follow its closing quote: `"e"x` is not guessed to mean `ex`.
 */
export function splitCsvRecord(text: string): string[] | { problem: string } {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  /** A quoted field's closing quote was read: the field must end here. */
  let closed = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
        closed = true;
      } else field += char;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      closed = false;
    } else if (closed) return { problem: `text after the closing quote of column ${fields.length + 1}` };
    else if (char === '"' && field === '') quoted = true;
    else field += char;
  }
  if (quoted) return { problem: 'unterminated quote' };
  fields.push(field);
  return fields;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A CSV cell as JSON would have held it: empty is absent, a number is a number, the rest is text. */
function cellValue(cell: string): unknown {
  const trimmed = cell.trim();
  if (trimmed === '') return undefined;
  return NUMBER.test(trimmed) ? Number(trimmed) : cell;
}

/**
 * A CSV reader for one file: the first non-blank line is the header naming the columns (any
 * order; `user_id` and `event_name` required, `count`, `first`, `last` optional, others ignored).
 */
export class CsvLineParser {
  private columns: string[] | null = null;

  /** Reads the header; returns the problem with it, or null. */
  private readHeader(text: string): string | null {
    const split = splitCsvRecord(text);
    if (!Array.isArray(split)) return `the CSV header is not a CSV record (${split.problem})`;
    const columns = split.map((c) => c.trim());
    for (const required of ['user_id', 'event_name']) {
      if (!columns.includes(required)) return `the CSV header must name a "${required}" column (it names ${columns.join(', ')})`;
    }
    this.columns = columns;
    return null;
  }

  /** @throws Error when the header is unusable: no line of the file could be read. */
  parse(text: string, line: number): ReadLine {
    if (text.trim() === '') return { kind: 'skip' };
    if (this.columns === null) {
      const problem = this.readHeader(withoutByteOrderMark(text, line));
      if (problem !== null) throw new Error(problem);
      return { kind: 'skip' };
    }
    const cells = splitCsvRecord(text);
    if (!Array.isArray(cells) || cells.length !== this.columns.length) {
      const error: IntercomError = {
        code: 'parameter_invalid',
        message: Array.isArray(cells) ? `expected ${this.columns.length} columns as in the header, found ${cells.length}` : cells.problem,
      };
      return { kind: 'rejected', rejected: { line, text, errors: [error] } };
    }
    const record: Record<string, unknown> = {};
    this.columns.forEach((column, i) => {
      record[column] = cellValue(cells[i] ?? '');
    });
    const user = userIdOf(cells[this.columns.indexOf('user_id')], line, text);
    if ('rejected' in user) return { kind: 'rejected', rejected: user.rejected };
    const item: SummaryItemInput = {};
    for (const field of ITEM_FIELDS) {
      if (field === 'event_name') item.event_name = cells[this.columns.indexOf('event_name')];
      else if (record[field] !== undefined) item[field] = record[field];
    }
    return { kind: 'summary', summary: { line, text, userId: user.userId, item } };
  }
}
