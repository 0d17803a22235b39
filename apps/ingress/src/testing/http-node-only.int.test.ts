import { parseLogLine, stopAll, waitForLog } from '@tally/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { headersFor, startInstrument } from './test-ingress.js';

afterAll(() => stopAll());

const start = (name: string, settings: Record<string, string>) =>
  startInstrument('http-node-only.main.ts', name, { BODY_LIMIT_BYTES: '2048', ...settings });

const summary = { user_id: 'u', event_summaries: { event_name: 'e', count: 1, first: 1_700_000_000, last: 1_700_000_060 } };

async function post(url: string, headers: Record<string, string>, body: string) {
  const response = await fetch(`${url}/events/summaries`, { method: 'POST', headers, body });
  return { status: response.status, requestId: response.headers.get('x-request-id'), body: await response.text() };
}

describe('the ingress work on node:http alone (a measuring instrument)', () => {
  it('does the work it claims: auth, the strict parser, the body rules, the request line', async () => {
    const { url, proc } = await start('node-only', {});
    const valid = await post(url, headersFor('acme'), JSON.stringify(summary));
    expect(valid.status).toBe(200);
    expect(valid.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await post(url, headersFor('beta'), JSON.stringify(summary))).status).toBe(401);
    const noEventName = await post(url, headersFor('acme'), JSON.stringify({ user_id: 'u', event_summaries: { count: 1 } }));
    expect(noEventName.status).toBe(400);
    expect(JSON.parse(noEventName.body)).toMatchObject({ type: 'error.list', request_id: noEventName.requestId });
    // Invalid UTF-8 is the strict parser's refusal (Fastify's default parser would let it through).
    const latin1 = Buffer.from('{"user_id":"zo\xe9","event_summaries":{"event_name":"e"}}', 'latin1');
    expect((await fetch(`${url}/events/summaries`, { method: 'POST', headers: headersFor('acme'), body: latin1 })).status).toBe(400);
    expect((await post(url, headersFor('acme'), JSON.stringify({ ...summary, pad: 'x'.repeat(4096) }))).status).toBe(413);
    const line = await waitForLog(proc, 'request');
    expect(line).toMatchObject({ requestId: valid.requestId, status: 200, workspace: 'acme', route: '/events/summaries' });
  });

  it('with NODE_ONLY_WORK=0 only reads the body and answers, and with NODE_ONLY_REQUEST_LINE=0 writes no line', async () => {
    const [bare, quiet] = await Promise.all([
      start('node-only-bare', { NODE_ONLY_WORK: '0' }),
      start('node-only-quiet', { NODE_ONLY_REQUEST_LINE: '0' }),
    ]);
    expect((await post(bare.url, headersFor('beta'), 'not json')).status).toBe(200);
    expect((await post(quiet.url, headersFor('beta'), JSON.stringify(summary))).status).toBe(401);
    expect((await post(quiet.url, headersFor('acme'), JSON.stringify(summary))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the logger's 100 ms batching
    expect(quiet.proc.lines.filter((l) => parseLogLine(l)?.msg === 'request')).toEqual([]);
  });
});
