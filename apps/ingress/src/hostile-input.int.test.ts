import { connect } from 'node:net';
import type { Job } from '@tally/queue';
import { describe, expect, it } from 'vitest';
import type { Ingress } from './ingress.js';
import { useIngresses } from './testing/ingress-fixture.js';
import { headersFor } from './testing/test-ingress.js';

const { ingress } = useIngresses();
const jobs = async (i: Ingress): Promise<Job[]> => i.queue.getJobs(['waiting', 'delayed', 'active', 'completed']);
const acme = headersFor('acme');

/** Sends raw bytes over a socket and resolves the raw HTTP answer. */
function rawHttp(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.end(request);
  });
}

describe('what the store cannot hold is refused at the door', () => {
  it.each([
    ['a lone surrogate in user_id', '{"user_id":"poison\\ud800","event_summaries":{"event_name":"e"}}', 'user_id'],
    ['a lone surrogate in event_name', '{"user_id":"u","event_summaries":[{"event_name":"\\udfff"}]}', 'event_summaries[0].event_name'],
    ['NUL in user_id', '{"user_id":"a\\u0000b","event_summaries":{"event_name":"e"}}', 'user_id'],
    ['a newline in event_name', '{"user_id":"u","event_summaries":{"event_name":"a\\nb"}}', 'event_summaries.event_name'],
  ])('refuses %s with 400 and queues nothing', async (_label, payload, field) => {
    const i = await ingress();
    const res = await i.app.inject({ method: 'POST', url: '/events/summaries', headers: acme, payload });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ type: 'error.list', request_id: res.headers['x-request-id'] });
    expect(JSON.stringify(body.errors)).toMatch(field === 'user_id' ? /user_id|surrogate/ : /event_name|surrogate/);
    expect(await jobs(i)).toHaveLength(0);
  });

  it('refuses a raw event with a lone surrogate, and a GET /events lookup of one', async () => {
    const i = await ingress();
    const post = await i.app.inject({
      method: 'POST',
      url: '/events',
      headers: acme,
      payload: '{"event_name":"\\ud800","created_at":1671028894,"user_id":"u"}',
    });
    expect(post.statusCode).toBe(400);
    const get = await i.app.inject({ method: 'GET', url: '/events?type=user&summary=true&user_id=a%00b', headers: acme });
    expect(get.statusCode).toBe(400);
    expect(get.json().errors[0]).toMatchObject({ field: 'user_id' });
  });

  it('refuses invalid UTF-8 with 400 instead of storing U+FFFD', async () => {
    const i = await ingress();
    const payload = Buffer.concat([
      Buffer.from('{"user_id":"zo'),
      Buffer.from([0xeb]),
      Buffer.from('","event_summaries":{"event_name":"e"}}'),
    ]);
    const res = await i.app.inject({ method: 'POST', url: '/events/summaries', headers: acme, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toMatch(/not valid UTF-8/);
    expect(await jobs(i)).toHaveLength(0);
  });

  it('refuses a charset other than UTF-8 with 415, and accepts utf-8 spelled any way', async () => {
    const i = await ingress();
    const payload = { user_id: 'u', event_summaries: { event_name: 'e' } };
    const latin1 = await i.app.inject({
      method: 'POST',
      url: '/events/summaries',
      headers: { ...acme, 'content-type': 'application/json; charset=ISO-8859-1' },
      payload,
    });
    expect(latin1.statusCode).toBe(415);
    expect(latin1.json()).toMatchObject({ type: 'error.list', errors: [{ code: 'unsupported_media_type' }] });
    const utf8 = await i.app.inject({
      method: 'POST',
      url: '/events/summaries',
      headers: { ...acme, 'content-type': 'application/json; charset="UTF-8"' },
      payload,
    });
    expect(utf8.statusCode).toBe(200);
  });

  it('answers a 20,000-deep unknown field with an Idempotency-Key with 400, not 500', async () => {
    const i = await ingress();
    const payload = `{"user_id":"u","event_summaries":{"event_name":"e"},"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const res = await i.app.inject({
      method: 'POST',
      url: '/events/summaries',
      headers: { ...acme, 'idempotency-key': 'deep-1' },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toMatch(/nested deeper than 16 levels/);
  });
});

describe('parser-level errors are error.list with X-Request-Id, and echo nothing unbounded', () => {
  it('answers oversized headers with 431 error.list and X-Request-Id', async () => {
    const i = await ingress();
    const port = await listen(i);
    const answer = await rawHttp(port, `POST /events/summaries HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 431 /);
    const requestId = /x-request-id: ([0-9a-f-]{36})/i.exec(answer)?.[1];
    expect(requestId).toBeDefined();
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: 'error.list', request_id: requestId });
  });

  it('answers broken HTTP framing with 400 error.list', async () => {
    const i = await ingress();
    const port = await listen(i);
    // Authenticated: without a token the answer is 401, sent before the body is read.
    const answer = await rawHttp(
      port,
      `POST /events/summaries HTTP/1.1\r\nHost: x\r\nAuthorization: ${acme.authorization}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1.1 400 /);
    expect(answer).toMatch(/"type":"error.list"/);
  });

  it('answers a badly encoded URL with a bounded error.list', async () => {
    const i = await ingress();
    const res = await i.app.inject({ method: 'GET', url: `/events/%E0%A4%A${'x'.repeat(4000)}`, headers: acme });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'error.list', request_id: res.headers['x-request-id'] });
    expect(res.body.length).toBeLessThan(500);
  });

  it('does not echo an 8 KB Intercom-Version back', async () => {
    const i = await ingress();
    const res = await i.app.inject({
      method: 'POST',
      url: '/events/summaries',
      headers: { ...acme, 'intercom-version': 'v'.repeat(8192) },
      payload: { user_id: 'u', event_summaries: { event_name: 'e' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.length).toBeLessThan(500);
  });
});

async function listen(i: Ingress): Promise<number> {
  await i.app.listen({ port: 0, host: '127.0.0.1' });
  const address = i.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}
