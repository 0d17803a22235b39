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

/**
 * The longest line read (a summary takes a few hundred bytes): a longer one is rejected and
 * skipped to its end without being held, so a file with no newlines (a JSON array, a binary
 * file) cannot take the memory a line would need, nor the time of copying it chunk by chunk.
 */
export const MAX_LINE_BYTES = 1 << 20;

/** Why a line longer than MAX_LINE_BYTES is rejected. */
export const TOO_LONG: IntercomError = {
  code: 'parameter_invalid',
  message: `the line is longer than ${MAX_LINE_BYTES.toLocaleString('en-US')} bytes: one summary per line is expected (NDJSON, not a JSON array)`,
};

const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

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
 * looked at line by line. A line longer than `maxLineBytes` comes with `failure` (TOO_LONG).
 */
export async function* readLineChunks(input: Readable, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<InputLine[]> {
  const lines = new LineCutter(maxLineBytes);
  let partial: Buffer = EMPTY;
  /** A line past the limit, being skipped to its end: its preview and its bytes so far. */
  let skipping: { preview: string; bytes: number } | null = null;
  for await (const chunk of input) {
    let bytes = toBuffer(chunk);
    const out: InputLine[] = [];
    if (skipping !== null) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline === -1) {
        skipping.bytes += bytes.length;
        continue;
      }
      out.push(lines.tooLong(skipping.preview, skipping.bytes + newline + 1));
      skipping = null;
      bytes = bytes.subarray(newline + 1);
    } else if (partial.length > 0) bytes = Buffer.concat([partial, bytes]);
    const end = bytes.lastIndexOf(NEWLINE);
    partial = bytes.subarray(end + 1);
    if (end !== -1) lines.cut(bytes.subarray(0, end + 1), out);
    if (partial.length > maxLineBytes) {
      skipping = { preview: lines.previewOfBytes(partial), bytes: partial.length };
      partial = EMPTY;
    }
    if (out.length > 0) yield out;
  }
  if (skipping !== null) yield [lines.tooLong(skipping.preview, skipping.bytes)];
  else if (partial.length > 0) yield [lines.last(partial)];
}

const toBuffer = (chunk: unknown): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));

/** Cuts complete lines out of bytes and numbers them. */
class LineCutter {
  private line = 0;
  /**
   * What the report (and the running hash of the request keys) keeps of a line too long to
   * read: its first characters, the same whichever way the line was cut into chunks. A line is
   * skipped once more than maxLineBytes of it are held, enough bytes for this many characters.
   */
  private readonly previewChars: number;

  constructor(private readonly maxLineBytes: number) {
    this.previewChars = Math.min(200, Math.floor(maxLineBytes / 4));
  }

  private previewOfText(text: string): string {
    return `${text.slice(0, this.previewChars)}…`;
  }

  previewOfBytes(bytes: Buffer): string {
    return this.previewOfText(bytes.subarray(0, this.previewChars * 4).toString('utf8'));
  }

  /** Lines of `bytes`, every one ended by a newline, pushed onto `out`. */
  cut(bytes: Buffer, out: InputLine[]): void {
    if (isUtf8(bytes)) this.cutValid(bytes.toString('utf8'), bytes.length, out);
    else this.cutChecked(bytes, out);
  }

  /** The last line, with no newline after it. */
  last(bytes: Buffer): InputLine {
    return bytes.length > this.maxLineBytes
      ? this.tooLong(this.previewOfBytes(bytes), bytes.length)
      : this.read(bytes.toString('utf8'), bytes.length, isUtf8(bytes));
  }

  tooLong(preview: string, bytes: number): InputLine {
    return { line: ++this.line, text: preview, bytes, failure: [TOO_LONG] };
  }

  /** Text known to be UTF-8, `bytes` long. */
  private cutValid(text: string, bytes: number, out: InputLine[]): void {
    // All ASCII (the usual export): a line's length is its size, without measuring each.
    const ascii = text.length === bytes;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const raw = text.slice(start, end);
      const size = ascii ? raw.length : Buffer.byteLength(raw);
      out.push(size > this.maxLineBytes ? this.tooLong(this.previewOfText(raw), size + 1) : this.read(raw, size + 1, true));
      start = end + 1;
    }
  }

  /** Bytes of which some are not UTF-8: checked line by line. */
  private cutChecked(bytes: Buffer, out: InputLine[]): void {
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      const raw = bytes.subarray(start, end);
      out.push(
        raw.length > this.maxLineBytes
          ? this.tooLong(this.previewOfBytes(raw), raw.length + 1)
          : this.read(raw.toString('utf8'), raw.length + 1, isUtf8(raw)),
      );
      start = end + 1;
    }
  }

  private read(raw: string, bytes: number, valid: boolean): InputLine {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    return valid ? { line: ++this.line, text, bytes } : { line: ++this.line, text, bytes, failure: [NOT_UTF8] };
  }
}

/** The lines of a stream one at a time (a users file, where each line is a request of its own). */
export async function* readLines(input: Readable): AsyncGenerator<InputLine> {
  for await (const lines of readLineChunks(input)) yield* lines;
}
