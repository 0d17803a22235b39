import { startProcess, stopAll, tsEntryCommand, waitForLog } from '@tally/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { headersFor, TOKENS } from './test-ingress.js';

afterAll(() => stopAll());

describe('the HTTP-layer-only ingress (a measuring instrument)', () => {
  it('authenticates and validates like the ingress, and accepts without any Redis', async () => {
    const { command, args, cwd } = tsEntryCommand('apps/ingress/src/testing/http-layer-only.main.ts');
    const proc = await startProcess({
      name: 'http-layer-only',
      command,
      args,
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        TALLY_TOKENS: `acme:${TOKENS.acme}`,
        PORT: '0',
        HOST: '127.0.0.1',
        REDIS_URL: 'redis://127.0.0.1:9', // never reached
        MONGO_URL: 'mongodb://127.0.0.1:9/?directConnection=true',
      },
    });
    const url = String((await waitForLog(proc, 'ingress listening')).url);
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${url}/events/summaries`, { method: 'POST', headers, body: JSON.stringify(body) });
    const summary = { user_id: 'u', event_summaries: { event_name: 'e', count: 1, first: 1_700_000_000, last: 1_700_000_060 } };
    expect((await post(headersFor('acme'), summary)).status).toBe(200);
    expect((await post(headersFor('beta'), summary)).status).toBe(401); // not in its TALLY_TOKENS
    expect((await post(headersFor('acme'), { user_id: 'u', event_summaries: { count: 1 } })).status).toBe(400);
  });
});
