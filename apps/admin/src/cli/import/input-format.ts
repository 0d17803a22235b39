import { CsvLineParser } from './csv-line.parser.js';
import { parseNdjsonLine } from './ndjson-line.parser.js';
import type { ReadLine } from './summary-line.js';

export type InputFormat = 'ndjson' | 'csv';

/** The format a file name announces, or null when only its content can tell. */
export function formatFromName(path: string): InputFormat | null {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(nd)?jsonl?$/i.test(path)) return 'ndjson';
  return null;
}

/**
 * Reads lines in a fixed format, or, when none is given (stdin, an unknown extension), in the
 * format the first non-blank line shows: an NDJSON line is an object, a CSV file starts with
 * its header.
 */
export function lineParser(format: InputFormat | null): (text: string, line: number) => ReadLine {
  let parse: ((text: string, line: number) => ReadLine) | null = null;
  const forFormat = (chosen: InputFormat) => {
    if (chosen === 'ndjson') return parseNdjsonLine;
    const csv = new CsvLineParser();
    return (text: string, line: number) => csv.parse(text, line);
  };
  if (format !== null) parse = forFormat(format);
  return (text, line) => {
    if (parse === null) {
      if (text.trim() === '') return { kind: 'skip' };
      parse = forFormat(text.trimStart().startsWith('{') ? 'ndjson' : 'csv');
    }
    return parse(text, line);
  };
}
