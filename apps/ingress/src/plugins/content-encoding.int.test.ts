import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { loadConfig } from '@tally/config';
import { createLogger } from '@tally/logger';
import { type RedisServer, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingressConfigSchema } from '../config.js';
import { createIngress, type Ingress } from '../ingress.js';

const TOKEN = 'token-for-acme-0001';
const summary = { user_id: 'u1', event_summaries: { event_name: 'signed-up', count: 2, first: 1671028894, last: 1671028900 } };

let redis: RedisServer;
let ingress: Ingress;

const post = (payload: Buffer, encoding: string, authorization = `Bearer ${TOKEN}`) =>
  ingress.app.inject({
    method: 'POST',
    url: '/events/summaries',
    headers: { authorization, 'content-type': 'application/json', 'content-encoding': encoding },
    payload,
  });
const queued = async () => (await ingress.queue.getJobs(['waiting', 'delayed', 'active', 'completed'])).flatMap((j) => j.data.requests);

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await ingress.close();
});
afterAll(async () => {
  await stopAll();
});

async function start() {
  const config = loadConfig(ingressConfigSchema, {
    REDIS_URL: redis.url,
    MONGO_URL: 'mongodb://127.0.0.1:9/?directConnection=true',
    QUEUE_PREFIX: uniqueName('q'),
    TALLY_TOKENS: `acme:${TOKEN}`,
    TOKEN_SOURCE: 'env',
    BODY_LIMIT_BYTES: String(1024 * 1024),
  });
  ingress = await createIngress(config, createLogger({ name: 'ingress', level: process.env.LOG_LEVEL ?? 'silent' }));
  await waitFor(() => ingress.enqueuer.readiness().ready, { message: 'ingress never became ready' });
}

describe('Content-Encoding on request bodies', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('accepts a %s body and queues what it decodes to', async (encoding, compress) => {
    await start();
    const res = await post(compress(Buffer.from(JSON.stringify(summary))), encoding);
    expect(res.statusCode).toBe(200);
    expect((await queued()).map((r) => r.summaries)).toEqual([
      [{ user_id: 'u1', event_name: 'signed-up', count: 2, first: 1671028894, last: 1671028900 }],
    ]);
  });

  it('answers a gzip bomb (60 MB of zeros) 413, queues nothing and holds no more than the body limit', async () => {
    await start();
    const bomb = gzipSync(Buffer.alloc(60 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024); // under the limit as sent
    global.gc?.();
    const before = process.memoryUsage();
    const res = await post(bomb, 'gzip');
    const after = process.memoryUsage();
    expect(res.statusCode).toBe(413);
    expect(res.json().errors[0]).toMatchObject({ code: 'request_too_large' });
    expect(await queued()).toEqual([]);
    // Decoding all of it would take 60 MB of buffers; it stopped at about the 1 MB limit.
    expect(after.arrayBuffers + after.external - before.arrayBuffers - before.external).toBeLessThan(16 * 1024 * 1024);
    expect(after.rss - before.rss).toBeLessThan(40 * 1024 * 1024);
  });

  it("answers an unknown encoding 415 with Intercom's error.list, naming the header", async () => {
    await start();
    const res = await post(Buffer.from(JSON.stringify(summary)), 'compress');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({
      type: 'error.list',
      request_id: res.headers['x-request-id'],
      errors: [
        {
          code: 'unsupported_content_encoding',
          field: 'Content-Encoding',
          message: 'Content-Encoding "compress" is not supported (use gzip, deflate, br or none)',
        },
      ],
    });
    expect(await queued()).toEqual([]);
  });

  it('answers a corrupt gzip body 400, and decompresses nothing for a request without a token', async () => {
    await start();
    const corrupt = await post(Buffer.from('not gzip at all'), 'gzip');
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json().errors[0]).toMatchObject({ code: 'parameter_invalid', field: 'Content-Encoding' });
    const anonymous = await post(gzipSync(Buffer.alloc(60 * 1024 * 1024)), 'gzip', 'Bearer not-a-token');
    expect(anonymous.statusCode).toBe(401);
  });
});
