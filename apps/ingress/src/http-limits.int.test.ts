import { connect, type Socket } from 'node:net';
import { type RedisServer, startRedis, stopAll, waitFor } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ingress } from './ingress.js';
import { headersFor, testIngress } from './testing/test-ingress.js';

let redis: RedisServer;
let ingress: Ingress;
let port: number;
const HELD = 2000;

beforeAll(async () => {
  redis = await startRedis();
  // Short deadlines so the test waits seconds, not the production defaults' minutes.
  ingress = await testIngress(redis.url, { REQUEST_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '1000' });
  await ingress.app.listen({ port: 0, host: '127.0.0.1' });
  port = (ingress.app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await ingress?.close();
  await stopAll();
});

/** A client that sends its headers and the start of a 100 KB body, then nothing more. */
function halfSentBody(): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c) => {
      answer += c.toString('utf8');
    });
    const closed = new Promise<string>((done) => socket.on('close', () => done(answer)));
    socket.once('error', () => undefined);
    socket.once('connect', () => {
      socket.write(
        `POST /events/summaries HTTP/1.1\r\nHost: x\r\nAuthorization: ${headersFor('acme').authorization}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"user_id":"slow"',
      );
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

describe('time limits on the ingress', () => {
  it(`cuts off ${HELD} half-sent bodies at the request deadline while a normal client keeps getting 200`, async () => {
    const held: { socket: Socket; closed: Promise<string> }[] = [];
    for (let batch = 0; batch < HELD / 200; batch++) held.push(...(await Promise.all(Array.from({ length: 200 }, halfSentBody))));
    let closedCount = 0;
    const answers = held.map((h) =>
      h.closed.then((answer) => {
        closedCount++;
        return answer;
      }),
    );

    // While they are held open, and after, a well-behaved client is served.
    const normal = async () =>
      (
        await fetch(`http://127.0.0.1:${port}/events/summaries`, {
          method: 'POST',
          headers: headersFor('beta'),
          body: JSON.stringify({ user_id: 'fast', event_summaries: { event_name: 'e' } }),
        })
      ).status;
    expect(await normal()).toBe(200);
    await waitFor(() => closedCount === HELD, { timeoutMs: 30_000, message: 'every slow body to be cut off' });
    expect(await normal()).toBe(200);

    // Each was told why, in Intercom's shape.
    const sample = await answers[0]!;
    expect(sample).toMatch(/^HTTP\/1.1 408 /);
    expect(sample).toMatch(/"type":"error.list"/);
    for (const h of held) h.socket.destroy();
  }, 60_000);
});
