import { describe, expect, it } from 'vitest';
import { exportLine } from '../export/export.command.js';
import { parseNdjsonLine } from './ndjson-line.parser.js';
import { serialiseBody } from './summaries-sender.js';
import type { SummaryLine } from './summary-line.js';

/** The body a request of these lines gets when every line is parsed: the reference. */
function parsedBody(texts: string[]): string {
  const values = texts.map((text) => JSON.parse(text) as Record<string, unknown>);
  const items = values.map(({ event_name, count, first, last }) => ({ event_name, count, first, last }));
  return JSON.stringify({ user_id: values[0]!.user_id, event_summaries: items });
}

function summaryOf(text: string, line = 1): SummaryLine {
  const read = parseNdjsonLine(text, line);
  if (read.kind !== 'summary') throw new Error(`not a summary: ${text}`);
  return read.summary;
}

const at = (seconds: number) => new Date(seconds * 1000);

describe('parseNdjsonLine', () => {
  it("takes a line in the export's shape without parsing it, and the body is the one parsing builds", () => {
    const text = exportLine({ user_id: 'ann', event_name: 'signed-up', count: 3, first: at(1_700_000_000), last: at(1_700_000_100) });
    const summary = summaryOf(text, 7);
    expect(summary).toEqual({
      line: 7,
      text,
      userId: 'ann',
      item: '{"event_name":"signed-up","count":3,"first":1700000000,"last":1700000100}',
    });
    expect(serialiseBody('ann', [summary])).toBe(parsedBody([text]));
  });

  // Each of these is valid JSON that a shortcut could get wrong: escapes, numbers JSON.stringify
  // writes otherwise, other key orders, extra fields, a duplicate user id. Every one must give
  // the very body parsing gives, so the keys' fingerprints and the API's answers do not change.
  it.each([
    String.raw`{"user_id":"ann","event_name":"a \"quoted\" name","count":1,"first":10,"last":10}`,
    String.raw`{"user_id":"ann","event_name":"tab\there","count":1,"first":10,"last":10}`,
    String.raw`{"user_id":"ann","event_name":"\u0065","count":1,"first":10,"last":10}`,
    '{"user_id":"ann","event_name":"big","count":12345678901234567890,"first":10,"last":10}',
    '{"user_id":"ann","event_name":"minus zero","count":-0,"first":10,"last":10}',
    '{"user_id":"ann","event_name":"float","count":1.0,"first":1e3,"last":1000}',
    '{"user_id":"ann","count":1,"event_name":"reordered","first":10,"last":10}',
    '{"user_id":"ann","event_name":"extra","count":1,"first":10,"last":10,"note":"x"}',
    '{"user_id":"ann","event_name":"spaced", "count":1,"first":10,"last":10}',
    '{"user_id":"ann","event_name":"no times","count":1}',
    '{"user_id":"ann","event_name":"wrong type","count":"two","first":10,"last":10}',
    '{"user_id":"bob","user_id":"ann","event_name":"twice","count":1,"first":10,"last":10}',
    '{"user_id":"ann","event_name":"ünïcødé ✓","count":1,"first":10,"last":10}',
  ])('gives the parsed body for %s', (text) => {
    const summary = summaryOf(text);
    expect(summary.userId).toBe('ann');
    expect(serialiseBody(summary.userId, [summary])).toBe(parsedBody([text]));
  });

  it('rejects what is not a summary, as before', () => {
    expect(parseNdjsonLine('{"user_id":"ann","event_name":', 3)).toMatchObject({ kind: 'rejected', rejected: { line: 3 } });
    expect(parseNdjsonLine('{"user_id":"","event_name":"e","count":1,"first":10,"last":10}', 4)).toMatchObject({
      kind: 'rejected',
      rejected: { errors: [{ field: 'user_id' }] },
    });
    expect(parseNdjsonLine('   ', 5)).toEqual({ kind: 'skip' });
  });

  it("reads a file's byte-order mark as no part of line 1, and keeps the line's text as read", () => {
    const text = '\ufeff{"user_id":"ann","event_name":"e","count":1,"first":10,"last":10}';
    expect(parseNdjsonLine(text, 1)).toEqual({
      kind: 'summary',
      // The text, mark included, is what the request's key is hashed from: the same as before.
      summary: { line: 1, text, userId: 'ann', item: { event_name: 'e', count: 1, first: 10, last: 10 } },
    });
    // Anywhere else it is a character in the line, and the line is not JSON.
    expect(parseNdjsonLine(text, 2)).toMatchObject({ kind: 'rejected', rejected: { line: 2 } });
  });
});
