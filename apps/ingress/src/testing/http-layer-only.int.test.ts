import { stopAll } from '@tally/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { headersFor, startInstrument } from './test-ingress.js';

afterAll(() => stopAll());

describe('the HTTP-layer-only ingress (a measuring instrument)', () => {
  it('authenticates and validates like the ingress, and accepts without any Redis', async () => {
    const { url } = await startInstrument('http-layer-only.main.ts', 'http-layer-only');
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${url}/events/summaries`, { method: 'POST', headers, body: JSON.stringify(body) });
    const summary = { user_id: 'u', event_summaries: { event_name: 'e', count: 1, first: 1_700_000_000, last: 1_700_000_060 } };
    expect((await post(headersFor('acme'), summary)).status).toBe(200);
    expect((await post(headersFor('beta'), summary)).status).toBe(401); // not in its TALLY_TOKENS
    expect((await post(headersFor('acme'), { user_id: 'u', event_summaries: { count: 1 } })).status).toBe(400);
  });
});
