import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { acceptingDeps } from '../testing/accepting-deps.js';

/** The ingress with a logger whose lines the test reads; the read path answers from memory. */
async function appWithLog(requestLogLevel?: 'info' | 'silent' | 'errors') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const app = await buildApp({
    logger: pino({ level: 'info' }, sink),
    tokens: { workspaceFor: (token) => (token === 'acme-token-0001' ? 'acme' : null), authoritative: () => true },
    ...acceptingDeps,
    eventsRetentionSeconds: 90 * 24 * 3600,
    bodyLimit: 1024 * 1024,
    retryAfterSeconds: 2,
    ...(requestLogLevel !== undefined && { requestLogLevel }),
  });
  return { app, requests: () => lines.filter((line) => line.msg === 'request') };
}

/** A summary read of user u-42 with `token`. */
const readAs = (app: Awaited<ReturnType<typeof appWithLog>>['app'], token: string) =>
  app.inject({ url: '/events?type=user&user_id=u-42&summary=true', headers: { authorization: `Bearer ${token}` } });

describe('request log', () => {
  it('writes one info line per request: method, route, status, latency, request id, workspace; never the token', async () => {
    const { app, requests } = await appWithLog();
    const ok = await readAs(app, 'acme-token-0001');
    const refused = await readAs(app, 'wrong-token-9');
    expect([ok.statusCode, refused.statusCode]).toEqual([200, 401]);

    expect(requests()).toHaveLength(2);
    const [first, second] = requests();
    expect(first).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/events',
      status: 200,
      workspace: 'acme',
      requestId: ok.headers['x-request-id'],
    });
    expect(first?.ms).toEqual(expect.any(Number));
    expect(second).toMatchObject({ status: 401, requestId: refused.headers['x-request-id'] });
    expect(second).not.toHaveProperty('workspace');
    const text = JSON.stringify(requests());
    expect(text).not.toContain('acme-token-0001');
    expect(text).not.toContain('wrong-token-9');
    expect(text).not.toContain('u-42'); // the route pattern, not the URL with its user id
    await app.close();
  });

  it('with REQUEST_LOG_LEVEL=errors writes the lines of refused requests only, with their request id', async () => {
    const { app, requests } = await appWithLog('errors');
    const ok = await readAs(app, 'acme-token-0001');
    const refused = await readAs(app, 'wrong-token-9');
    const invalid = await app.inject({
      method: 'POST',
      url: '/events/summaries',
      headers: { authorization: 'Bearer acme-token-0001', 'content-type': 'application/json' },
      payload: { user_id: 'u', event_summaries: { count: 1 } },
    });
    expect([ok.statusCode, refused.statusCode, invalid.statusCode]).toEqual([200, 401, 400]);
    expect(requests()).toEqual([
      expect.objectContaining({ level: 30, status: 401, requestId: refused.headers['x-request-id'] }),
      expect.objectContaining({ level: 30, status: 400, workspace: 'acme', requestId: invalid.headers['x-request-id'] }),
    ]);
    await app.close();
  });

  it('is turned off by REQUEST_LOG_LEVEL=silent', async () => {
    const { app, requests } = await appWithLog('silent');
    await app.inject({ url: '/healthz' });
    expect(requests()).toHaveLength(0);
    await app.close();
  });
});
