import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLineChunks, readLines } from './line-source.js';

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
      { line: 4, text: 'd', bytes: 2 },
    ]);
  });

  it('keeps a character split between two chunks whole', async () => {
    const bytes = Buffer.from('é\n');
    expect(await lines([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual([{ line: 1, text: 'é', bytes: 3 }]);
  });

  it('hands over the lines a chunk completes, together, and the last line at the end', async () => {
    const chunks = [];
    for await (const chunk of readLineChunks(Readable.from(['a\nb\nc', 'd', 'e\nf'], { objectMode: true }))) {
      chunks.push(chunk.map((l) => l.text));
    }
    expect(chunks).toEqual([['a', 'b'], ['cde'], ['f']]);
  });
});
