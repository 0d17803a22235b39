import { describe, expect, it } from 'vitest';
import { parseNdjsonLine } from './ndjson-line.parser.js';
import { type ImportRequest, RequestBatcher, type RequestNamer } from './request-batcher.js';

/** Batches a list of NDJSON lines the way an import does. */
function batch(texts: string[], maxSize?: number, namer?: RequestNamer): ImportRequest[] {
  const batcher = new RequestBatcher(maxSize, namer);
  const requests: ImportRequest[] = [];
  texts.forEach((text, i) => {
    const read = parseNdjsonLine(text, i + 1);
    const closed = batcher.add(text, read.kind === 'summary' ? read.summary : null);
    if (closed) requests.push(closed);
  });
  const last = batcher.flush();
  if (last) requests.push(last);
  return requests;
}

const line = (user: string, event: string) => JSON.stringify({ user_id: user, event_name: event, count: 1, first: 10, last: 20 });

describe('RequestBatcher', () => {
  it('puts consecutive lines of one user in one request, and splits at the size limit', () => {
    const requests = batch([line('ann', 'a'), line('ann', 'b'), line('ann', 'c'), line('bob', 'a'), line('ann', 'd')], 2);
    expect(requests.map((r) => [r.userId, r.summaries.map((s) => s.line)])).toEqual([
      ['ann', [1, 2]],
      ['ann', [3]],
      ['bob', [4]],
      ['ann', [5]],
    ]);
  });

  it('derives the same keys from the same input, so a re-run is recognised', () => {
    const input = [line('ann', 'a'), 'not json', line('bob', 'a'), line('bob', 'b')];
    expect(batch(input).map((r) => r.idempotencyKey)).toEqual(batch(input).map((r) => r.idempotencyKey));
  });

  it('keys a request by the input before and in it, not by what follows', () => {
    const short = batch([line('ann', 'a'), line('bob', 'a')]);
    const grown = batch([line('ann', 'a'), line('bob', 'a'), line('carl', 'a')]);
    expect(grown[0]!.idempotencyKey).toBe(short[0]!.idempotencyKey);
    expect(grown[1]!.idempotencyKey).toBe(short[1]!.idempotencyKey);
  });

  it('gives different keys to different inputs from the first differing line on, rejected lines included', () => {
    const one = batch([line('ann', 'a'), 'bad line', line('bob', 'a')]);
    const other = batch([line('ann', 'a'), 'other bad line', line('bob', 'a')]);
    expect(other[1]!.idempotencyKey).not.toBe(one[1]!.idempotencyKey);
    // The same summaries at another position are another request.
    const shifted = batch(['', line('ann', 'a')]);
    expect(shifted[0]!.idempotencyKey).not.toBe(batch([line('ann', 'a')])[0]!.idempotencyKey);
  });

  it('derives the keys earlier versions derived, so a re-run after an upgrade still resumes', () => {
    const input = [
      '{"user_id":"ann","event_name":"a","count":1}',
      'not json',
      '{"user_id":"ann","event_name":"b"}',
      '{"user_id":"ann","event_name":"c"}',
      '',
      '{"user_id":"bob","event_name":"a"}',
    ];
    expect(batch(input, 2).map((r) => r.idempotencyKey)).toEqual([
      'tally-import-1-7dfAizNRCAyOtHJgoyyYdp95sFqM--olHGuq_vB2zcg',
      'tally-import-4-4AiCnGJYM3JzNCgs7_tCRbsAQrBPFHvGh-LrCba9eBs',
      'tally-import-6-4DSUtE7-2iETxfz6D6zCx02LoGqB1kYAKQbjumAkrd4',
    ]);
  });

  it("names requests by user and position among that user's requests when given a namer (migrate)", () => {
    const requests = batch([line('ann', 'a'), line('ann', 'b'), line('ann', 'c'), line('bob', 'a')], 2, (user, nth) => `${user}-${nth}`);
    expect(requests.map((r) => r.idempotencyKey)).toEqual(['ann-0', 'ann-1', 'bob-0']);
  });

  it('makes keys the API accepts: printable ASCII, at most 255 characters', () => {
    const [request] = batch([line('ann', 'a')]);
    expect(request!.idempotencyKey).toMatch(/^tally-import-1-[A-Za-z0-9_-]{43}$/);
  });
});
