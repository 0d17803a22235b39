import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NOT_UTF8, readLineChunks, readLines } from './line-source.js';

const lines = async (chunks: (string | Buffer)[]) => {
  const out = [];
  for await (const line of readLines(Readable.from(chunks, { objectMode: true }))) out.push(line);
  return out;
};

describe('readLines', () => {
  it('numbers lines across chunks, accepts CRLF and a last line without a newline', async () => {
    expect(await lines(['a\r\nb', 'c\n', '\nd'])).toEqual([
      { line: 1, text: 'a', bytes: 3 },
      { line: 2, text: 'bc', bytes: 3 },
      { line: 3, text: '', bytes: 1 },
      { line: 4, text: 'd', bytes: 1 },
    ]);
  });

  it('keeps a character split between two chunks whole', async () => {
    const bytes = Buffer.from('é\n');
    expect(await lines([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual([{ line: 1, text: 'é', bytes: 3 }]);
  });

  it('rejects a line whose bytes are not UTF-8 instead of rewriting them, and reads the others', async () => {
    const latin1 = Buffer.from([0x7a, 0x6f, 0xeb]); // "zoë" saved as Latin-1
    const cesu = Buffer.from([0xed, 0xa0, 0x80]); // a lone surrogate written as bytes
    const truncated = Buffer.from([0xc3]); // the first byte of "é", then the line ends
    const got = await lines([
      Buffer.concat([Buffer.from('ok\n'), latin1, Buffer.from('\r\nfine \ufffd\n')]),
      Buffer.concat([cesu, Buffer.from('\n'), truncated, Buffer.from('\nlast ')]),
      latin1,
    ]);
    expect(got).toEqual([
      { line: 1, text: 'ok', bytes: 3 },
      { line: 2, text: 'zo\ufffd', bytes: 5, failure: [NOT_UTF8] },
      // U+FFFD written in the file as UTF-8 is a character like any other.
      { line: 3, text: 'fine \ufffd', bytes: 9 },
      { line: 4, text: '\ufffd\ufffd\ufffd', bytes: 4, failure: [NOT_UTF8] },
      { line: 5, text: '\ufffd', bytes: 2, failure: [NOT_UTF8] },
      { line: 6, text: 'last zo\ufffd', bytes: 8, failure: [NOT_UTF8] },
    ]);
    expect(NOT_UTF8.message).toMatch(/not valid UTF-8/);
  });

  it('hands over the lines a chunk completes, together, and the last line at the end', async () => {
    const chunks = [];
    for await (const chunk of readLineChunks(Readable.from(['a\nb\nc', 'd', 'e\nf'], { objectMode: true }))) {
      chunks.push(chunk.map((l) => l.text));
    }
    expect(chunks).toEqual([['a', 'b'], ['cde'], ['f']]);
  });
});
