import { parseLogLine, stopAll, waitForLog } from '@tally/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { headersFor, startInstrument } from './test-ingress.js';

afterAll(() => stopAll());

const startRung = (rung: number) => startInstrument('http-layer-ladder.main.ts', `ladder-rung-${rung}`, { LADDER_RUNG: String(rung) });

describe('the HTTP-layer ladder (a measuring instrument)', () => {
  it('adds auth at rung 3 and the body rules at rung 5, and every rung accepts a valid summary', async () => {
    const rungs = await Promise.all([0, 1, 2, 3, 4, 5].map(startRung));
    const summary = { user_id: 'u', event_summaries: { event_name: 'e', count: 1, first: 1_700_000_000, last: 1_700_000_060 } };
    const noEventName = { user_id: 'u', event_summaries: { count: 1 } };
    const statuses = await Promise.all(
      rungs.map(async ({ url }) => {
        const post = async (headers: Record<string, string>, body: unknown) =>
          (await fetch(`${url}/events/summaries`, { method: 'POST', headers, body: JSON.stringify(body) })).status;
        return {
          valid: await post(headersFor('acme'), summary),
          otherToken: await post(headersFor('beta'), summary),
          badBody: await post(headersFor('acme'), noEventName),
          ready: (await fetch(`${url}/readyz`)).status,
        };
      }),
    );
    expect(statuses.map((s) => s.valid)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.map((s) => s.ready)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.map((s) => s.otherToken)).toEqual([200, 200, 200, 401, 401, 401]);
    expect(statuses.map((s) => s.badBody)).toEqual([200, 200, 200, 200, 200, 400]);
    // The request line starts at rung 2: once rung 2 has written its lines, rung 1 has written none.
    await waitForLog(rungs[2]!.proc, 'request');
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the logger's 100 ms batching
    expect(rungs[1]!.proc.lines.filter((line) => parseLogLine(line)?.msg === 'request')).toEqual([]);
  });
});
