import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { IntercomError } from '@tally/contracts';

/** One line of input, numbered from 1, with the bytes it took (its newline included). */
export interface InputLine {
  line: number;
  text: string;
  bytes: number;
  /**
   * Set when the source could not produce this line at all (a migration whose source API
   * refused a user): the line is rejected with these errors, and nothing is sent for it.
   */
  failure?: IntercomError[];
}

/**
 * The lines of a stream, one at a time: readline holds one chunk and one line, never the file,
 * so memory stays flat whatever the input's size. CRLF endings are accepted.
 */
export async function* readLines(input: Readable): AsyncGenerator<InputLine> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line++;
    yield { line, text, bytes: Buffer.byteLength(text) + 1 };
  }
}
