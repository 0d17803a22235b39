import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, NOT_UTF8, readLineChunks, TOO_LONG } from './line-source.js';

const lines = async (chunks: (string | Buffer)[], maxLineBytes?: number) => {
  const out = [];
  for await (const chunk of readLineChunks(Readable.from(chunks, { objectMode: true }), maxLineBytes)) out.push(...chunk);
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

  it('rejects a line longer than the limit without holding it, the same however the input is cut into chunks', async () => {
    const max = 300;
    const input = Buffer.concat([
      Buffer.from(`ok\r\n${'x'.repeat(max)}\n${'y'.repeat(max + 1)}\r\n`),
      Buffer.from(`${'é'.repeat(200)}\n`), // 400 bytes
      Buffer.from([0x7a, 0x6f, 0xeb, 0x0a]),
      Buffer.from(`[${'{"user_id":"u"},'.repeat(40)}`), // no newline: the last line, too long
    ]);
    const whole = await lines([input], max);
    expect(whole.map((l) => [l.line, l.text.length, l.bytes, l.failure?.[0]?.message])).toEqual([
      [1, 2, 4, undefined],
      [2, max, max + 1, undefined],
      [3, 76, max + 3, TOO_LONG.message],
      [4, 76, 401, TOO_LONG.message],
      [5, 3, 4, NOT_UTF8.message],
      [6, 76, 1 + 16 * 40, TOO_LONG.message],
    ]);
    expect(whole[3]!.text).toBe(`${'é'.repeat(75)}…`); // a preview: as many characters as the limit's bytes surely hold
    expect(whole.reduce((n, l) => n + l.bytes, 0)).toBe(input.length);
    // Cut anywhere, in two chunks or byte by byte, the lines are the same: so are the request keys hashed from them.
    for (let at = 1; at < input.length; at++) expect(await lines([input.subarray(0, at), input.subarray(at)], max)).toEqual(whole);
    expect(
      await lines(
        [...input].map((b) => Buffer.from([b])),
        max,
      ),
    ).toEqual(whole);
  });

  it('reads a file of one 20 MB line (a JSON array) as one rejected line, at the default limit', async () => {
    const chunk = Buffer.alloc(1 << 16, 'x');
    const got = await lines([Buffer.from('['), ...Array.from({ length: 320 }, () => chunk), Buffer.from(']\n{}\n')]);
    expect(got.map((l) => [l.line, l.bytes, l.failure])).toEqual([
      [1, 2 + 320 * (1 << 16) + 1, [TOO_LONG]],
      [2, 3, undefined],
    ]);
    expect(TOO_LONG.message).toContain(MAX_LINE_BYTES.toLocaleString('en-US'));
  });

  it('hands over the lines a chunk completes, together, and the last line at the end', async () => {
    const chunks = [];
    for await (const chunk of readLineChunks(Readable.from(['a\nb\nc', 'd', 'e\nf'], { objectMode: true }))) {
      chunks.push(chunk.map((l) => l.text));
    }
    expect(chunks).toEqual([['a', 'b'], ['cde'], ['f']]);
  });
});
