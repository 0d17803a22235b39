import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import type { IntercomError } from '@tally/contracts';

/** One line of input, numbered from 1, with the bytes it took (its newline included). */
export interface InputLine {
  line: number;
  text: string;
  bytes: number;
  /**
   * Set when the source could not produce this line at all (bytes that are not UTF-8, a
   * migration whose source API refused a user): the line is rejected with these errors, and
   * nothing is sent for it.
   */
  failure?: IntercomError[];
}

/** Why a line whose bytes are not UTF-8 is rejected rather than read. */
export const NOT_UTF8: IntercomError = {
  code: 'parameter_invalid',
  message: 'the line is not valid UTF-8: convert the file first (iconv -f ITS-ENCODING -t UTF-8)',
};

const NEWLINE = 0x0a;

/**
 * The lines of a stream, a chunk at a time: one chunk and one partial line are held, never the
 * file, so memory stays flat whatever the input's size. CRLF endings are accepted. Split by hand
 * rather than with node:readline, whose event-based iterator cost a third of the import's CPU;
 * and handed over as the array of a chunk's lines, one await per chunk rather than per line.
 *
 * Bytes that are not UTF-8 are never rewritten: a lenient decoder turns each into U+FFFD, so
 * `zoë` and `zoé` saved as Latin-1 would both be imported as `zo�`, one user. Such a line comes
 * with `failure` (NOT_UTF8) and is rejected; its text, decoded leniently, is only for the report.
 * The check is one native pass over each chunk's complete lines; only a chunk that fails it is
 * looked at line by line.
 */
export async function* readLineChunks(input: Readable): AsyncGenerator<InputLine[]> {
  let partial: Buffer = Buffer.alloc(0);
  let line = 0;
  const emit = (raw: string, bytes: number, valid: boolean): InputLine => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    return valid ? { line: ++line, text, bytes } : { line: ++line, text, bytes, failure: [NOT_UTF8] };
  };
  for await (const chunk of input) {
    const bytes = partial.length === 0 ? toBuffer(chunk) : Buffer.concat([partial, toBuffer(chunk)]);
    const end = bytes.lastIndexOf(NEWLINE);
    if (end === -1) {
      partial = bytes;
      continue;
    }
    const whole = bytes.subarray(0, end + 1);
    partial = bytes.subarray(end + 1);
    yield isUtf8(whole) ? splitValid(whole.toString('utf8'), whole.length, emit) : splitChecked(whole, emit);
  }
  if (partial.length > 0) yield [emit(partial.toString('utf8'), partial.length, isUtf8(partial))];
}

type Emit = (raw: string, bytes: number, valid: boolean) => InputLine;

const toBuffer = (chunk: unknown): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));

/** Lines of text known to be UTF-8, every one ended by a newline; `bytes` long in UTF-8. */
function splitValid(text: string, bytes: number, emit: Emit): InputLine[] {
  const lines: InputLine[] = [];
  // All ASCII (the usual export): a line's length is its size, without measuring each.
  const ascii = text.length === bytes;
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    const raw = text.slice(start, end);
    lines.push(emit(raw, (ascii ? raw.length : Buffer.byteLength(raw)) + 1, true));
    start = end + 1;
  }
  return lines;
}

/** Lines of bytes of which some are not UTF-8, every one ended by a newline: checked one by one. */
function splitChecked(bytes: Buffer, emit: Emit): InputLine[] {
  const lines: InputLine[] = [];
  let start = 0;
  for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
    const raw = bytes.subarray(start, end);
    lines.push(emit(raw.toString('utf8'), raw.length + 1, isUtf8(raw)));
    start = end + 1;
  }
  return lines;
}

/** The lines of a stream one at a time (a users file, where each line is a request of its own). */
export async function* readLines(input: Readable): AsyncGenerator<InputLine> {
  for await (const lines of readLineChunks(input)) yield* lines;
}
