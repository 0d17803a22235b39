import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { waitFor } from '@tally/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, NetworkError } from './api-client.js';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on a free port: what it received, the connections it saw, and `answer` deciding the reply. */
async function server(answer: (req: Received, res: http.ServerResponse) => void) {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const srv = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const r = { method: req.method!, url: req.url!, headers: req.headers, body };
    received.push(r);
    answer(r, res);
  });
  srv.on('connection', (socket: Socket) => sockets.add(socket));
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  stops.push(() => {
    srv.closeAllConnections();
    srv.close();
  });
  return { url, received, sockets, srv };
}

const stops: (() => void)[] = [];
const clients: ApiClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const stop of stops.splice(0)) stop();
});

function client(url: string, options = { maxSockets: 4, timeoutMs: 5000 }) {
  const c = new ApiClient(url, 'secret-token', options);
  clients.push(c);
  return c;
}

describe('ApiClient', () => {
  it('posts the body byte for byte with its headers, reads the answer, and reuses the connection', async () => {
    const s = await server((_req, res) => res.writeHead(202, { 'retry-after': '3', 'content-type': 'application/json' }).end('{"ok":"é"}'));
    const c = client(`${s.url}/base-path/`); // a Tally served under a path (behind a proxy)
    const body = JSON.stringify({ user_id: 'ü-1', event_summaries: [{ event_name: '日本' }] });
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5', 'k6']) {
      const response = await c.request('POST', '/events/summaries', { body, headers: { 'idempotency-key': key } });
      expect(response).toMatchObject({ status: 202, body: '{"ok":"é"}', headers: { 'retry-after': '3' } });
    }
    expect(s.received.map((r) => [r.method, r.url, r.body, r.headers['idempotency-key'], r.headers.authorization])).toEqual(
      ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].map((key) => ['POST', '/base-path/events/summaries', body, key, 'Bearer secret-token']),
    );
    expect(s.sockets.size).toBeLessThanOrEqual(2); // six requests one after another: connections are kept and reused
  });

  it("puts the base URL's path, with or without its trailing slash, before every request's path and query", async () => {
    const s = await server((_req, res) => res.end('{}'));
    for (const base of [`${s.url}/tally`, `${s.url}/tally/`, `${s.url}/tally//`]) {
      const c = client(base);
      expect(c.baseUrl).toBe(`${s.url}/tally`);
      await c.request('GET', '/events?type=user&user_id=a%20b&summary=true');
    }
    await client(s.url).request('GET', '/events?type=user&user_id=x');
    expect(s.received.map((r) => r.url)).toEqual([
      ...Array.from({ length: 3 }, () => '/tally/events?type=user&user_id=a%20b&summary=true'),
      '/events?type=user&user_id=x',
    ]);
    expect(() => client(`${s.url}/tally?x=1`)).toThrow(/no query or fragment/);
  });

  it('reads a chunked answer, and opens a new connection after the server said Connection: close', async () => {
    let n = 0;
    const s = await server((_req, res) => {
      n++;
      if (n === 1) res.writeHead(400, { connection: 'close' }).end('closing');
      else {
        res.write('chun');
        res.end('ked');
      }
    });
    const c = client(s.url);
    expect((await c.request('GET', '/a')).body).toBe('closing');
    expect(await c.request('GET', '/b')).toMatchObject({ status: 200, body: 'chunked' });
    expect(s.sockets.size).toBe(2);
  });

  it('keeps at most maxSockets connections, and answers every request', async () => {
    const s = await server((req, res) => res.end(req.url));
    const c = client(s.url, { maxSockets: 2, timeoutMs: 5000 });
    const bodies = await Promise.all(Array.from({ length: 7 }, (_, i) => c.request('GET', `/${i}`).then((r) => r.body)));
    expect(bodies).toEqual(['/0', '/1', '/2', '/3', '/4', '/5', '/6']);
    expect(s.sockets.size).toBe(2);
  });

  it('fails with a NetworkError saying what happened, never hangs, when the server does not answer in time or is not there', async () => {
    const s = await server(() => {}); // reads the request, never answers
    const silent = client(s.url, { maxSockets: 1, timeoutMs: 100 }).request('POST', '/x', { body: '{}' });
    await expect(silent).rejects.toThrow(NetworkError);
    await expect(silent).rejects.toThrow(`no answer from ${s.url} within 0.1 s`);
    const gone = await server(() => {});
    gone.srv.close();
    await once(gone.srv, 'close');
    await expect(client(gone.url).request('GET', '/x')).rejects.toThrow(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  it('says the server closed the connection when it hangs up instead of answering', async () => {
    const s = await server((_req, res) => res.socket?.destroy());
    const hungUp = client(s.url).request('POST', '/x', { body: '{}' });
    await expect(hungUp).rejects.toThrow(NetworkError);
    await expect(hungUp).rejects.toThrow(/^the server closed the connection before answering \(.+\)$/);
  });

  it('drops an idle connection the server closed, and answers the next request on a new one', async () => {
    const s = await server((_req, res) => res.end('ok'));
    const c = client(s.url, { maxSockets: 1, timeoutMs: 5000 });
    await c.request('GET', '/1');
    s.srv.closeIdleConnections();
    await waitFor(() => c.openConnections === 0);
    expect(await c.request('GET', '/2')).toMatchObject({ status: 200, body: 'ok' });
    expect(s.sockets.size).toBe(2);
  });

  it('refuses a header value that would split the request head', async () => {
    const s = await server((_req, res) => res.end());
    await expect(client(s.url).request('POST', '/x', { body: '', headers: { 'idempotency-key': 'a\r\nx-evil: 1' } })).rejects.toThrow(
      TypeError,
    );
    expect(s.received).toEqual([]);
  });
});
