import { describe, expect, it } from 'vitest';
import { newCounters } from './import-counters.js';
import { runImport } from './import-run.js';
import type { InputLine } from './line-source.js';
import { parseNdjsonLine } from './ndjson-line.parser.js';
import type { ImportRequest } from './request-batcher.js';
import { ImportAborted } from './summaries-sender.js';

/** `count` lines of one user each, handed over 7 at a time as a file's chunks would be. */
async function* input(count: number): AsyncGenerator<InputLine[]> {
  let chunk: InputLine[] = [];
  for (let n = 1; n <= count; n++) {
    const text = JSON.stringify({ user_id: `u${n}`, event_name: 'e', count: 1 });
    chunk.push({ line: n, text, bytes: text.length + 1 });
    if (chunk.length === 7 || n === count) {
      yield chunk;
      chunk = [];
    }
  }
}

describe('runImport', () => {
  it('never has more than `concurrency` requests in flight, and counts every accepted line', async () => {
    let inFlight = 0;
    let most = 0;
    const counters = newCounters(null);
    const end = await runImport({
      lines: input(50),
      parse: parseNdjsonLine,
      concurrency: 3,
      counters,
      onRejected: async () => undefined,
      send: async (request) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return { accepted: request.summaries.length, rejected: [] };
      },
    });
    expect(end).toEqual({ complete: true });
    expect(most).toBe(3);
    expect(counters).toMatchObject({ lines: 50, accepted: 50, rejected: 0 });
  });

  it('stops at a fatal refusal, lets what is in flight finish, and says why', async () => {
    const sent: ImportRequest[] = [];
    const counters = newCounters(null);
    const end = await runImport({
      lines: input(1000),
      parse: parseNdjsonLine,
      concurrency: 2,
      counters,
      onRejected: async () => undefined,
      send: async (request) => {
        sent.push(request);
        if (request.userId === 'u5') throw new ImportAborted('the API refused the token');
        return { accepted: 1, rejected: [] };
      },
    });
    expect(end).toEqual({ complete: false, reason: 'the API refused the token' });
    expect(sent.length).toBeLessThan(20);
    expect(counters.accepted).toBe(sent.length - 1);
  });
});
