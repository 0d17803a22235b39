import { buildOpenApiDocument } from '@tally/ingress';
import { createLogger } from '@tally/logger';
import type { Queue } from '@tally/queue';
import { type RedisServer, startRedis, stopAll, uniqueName } from '@tally/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueue } from '../test/dead-letter.fixture.js';
import { buildAdminApp } from './app.js';

const credentials = { user: 'ops', password: 'admin-password-1' };
const auth = { authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` };

let redis: RedisServer;
let queue: Queue;
let app: FastifyInstance;

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
  queue = openQueue(redis.url, uniqueName('admin_docs'));
  app = await buildAdminApp({
    logger: createLogger({ name: 'admin', level: process.env.LOG_LEVEL ?? 'silent' }),
    queues: [queue],
    credentials,
    apiDocument: await buildOpenApiDocument(),
  });
});
afterAll(async () => {
  await app?.close();
  await queue?.close();
  await stopAll();
});

describe('the API documentation on the admin port', { timeout: 30_000 }, () => {
  it('needs the admin credentials', async () => {
    for (const url of ['/admin/api-docs', '/admin/api-docs/json'])
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
  });

  it("serves the ingress's OpenAPI 3.1 document and Swagger UI", async () => {
    const json = await app.inject({ method: 'GET', url: '/admin/api-docs/json', headers: auth });
    expect(json.statusCode).toBe(200);
    const document = json.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(['/events', '/events/summaries']);
    expect(Object.keys(document.paths['/events/summaries'].post.responses)).toEqual([
      '200',
      '400',
      '401',
      '413',
      '415',
      '422',
      '429',
      '503',
    ]);
    const ui = await app.inject({ method: 'GET', url: '/admin/api-docs/', headers: auth });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });
});
