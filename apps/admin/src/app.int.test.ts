import { createLogger } from '@tally/logger';
import type { Queue } from '@tally/queue';
import { freePort, type RedisServer, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJobs, deadLetter, openQueue, validPayload } from '../test/dead-letter.fixture.js';
import { buildAdminApp } from './app.js';
import { DEFAULT_LOGIN_THROTTLE } from './auth/login-throttle.js';

const credentials = { user: 'ops', password: 'admin-password-1' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const auth = { authorization: basic(credentials.user, credentials.password) };
const logger = createLogger({ name: 'admin', level: process.env.LOG_LEVEL ?? 'silent' });
const NOW = Date.parse('2030-01-01T00:00:00Z');

let redis: RedisServer;
let queue: Queue;
let app: FastifyInstance;

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
  queue = openQueue(redis.url, uniqueName('admin_app'));
  // The authentication table below sends 18 wrong logins from one address; throttling has its own test.
  app = await buildAdminApp({
    logger,
    queues: [queue],
    credentials,
    now: () => NOW,
    loginThrottle: { ...DEFAULT_LOGIN_THROTTLE, freeFailures: 1000 },
  });
});
afterAll(async () => {
  await app?.close();
  await queue?.close();
  await stopAll();
});

describe('authentication', { timeout: 30_000 }, () => {
  it.each([
    ['no credentials', {}],
    ['a wrong password', { authorization: basic('ops', 'admin-password-2') }],
    ['a wrong user', { authorization: basic('root', credentials.password) }],
    ['a bearer token', { authorization: 'Bearer admin-password-1' }],
  ])('answers 401 with a Basic challenge for %s, on every path', async (_name, headers) => {
    for (const url of [
      '/admin/queues',
      '/admin/queues/static/favicon-32x32.png',
      '/admin/queues/api/queues',
      '/admin/api/overview',
      '/admin/api/failed',
      '/no-such-path',
    ]) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="tally-admin", charset="UTF-8"');
      expect(res.body).not.toContain('summaries');
    }
  });

  it('serves the health probe without credentials, and 404s unknown paths once authenticated', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const missing = await app.inject({ method: 'GET', url: '/no-such-path', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('hardening', { timeout: 30_000 }, () => {
  it('forbids framing and third-party requests on every page, the login prompt included', async () => {
    for (const [url, headers] of [
      ['/admin/queues', auth],
      ['/admin/api/overview', auth],
      ['/admin/queues', {}],
    ] as const) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: auth });
    expect(page.body).toContain('<title>Tally</title>');
    // Every URL the page references is relative (served here): no Google Fonts, nothing third-party.
    const urls = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u ?? ''))).toEqual([]);
  });

  it('throttles failed logins per client address with a growing Retry-After, the right password included', async () => {
    const throttled = await buildAdminApp({
      logger,
      queues: [queue],
      credentials,
      loginThrottle: { freeFailures: 2, baseDelayMs: 60_000, maxDelayMs: 600_000, maxClients: 100 },
    });
    const attempt = (password: string, remoteAddress = '203.0.113.7') =>
      throttled.inject({ method: 'GET', url: '/admin/api/overview', headers: { authorization: basic('ops', password) }, remoteAddress });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await attempt(`guess-${i}`)).statusCode);
      expect(codes).toEqual([401, 401, 401]);
      const refused = await attempt(credentials.password);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      // Another address is not held back by this one's guesses.
      expect((await attempt(credentials.password, '198.51.100.2')).statusCode).not.toBe(401);
    } finally {
      await throttled.close();
    }
  });
});

describe('Bull Board at /admin/queues', { timeout: 30_000 }, () => {
  it('renders its page and every asset the page references loads', async () => {
    const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: auth });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<base href="/admin/queues/"');
    expect(page.body).toContain('<title>Tally</title>');
    const assets = [...page.body.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a?.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a?.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const res = await app.inject({ method: 'GET', url: `/admin/queues/${asset}`, headers: auth });
      expect(res.statusCode, asset).toBe(200);
      expect(res.rawPayload.length, asset).toBeGreaterThan(0);
    }
  });

  it('lists the summaries queue in its API', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: auth });
    expect(res.statusCode).toBe(200);
    const names = (res.json() as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(['summaries']);
  });

  it('refuses a cross-site request that would change the queue, and accepts a same-origin one', async () => {
    const pause = (site: string) =>
      app.inject({ method: 'PUT', url: '/admin/queues/api/queues/summaries/pause', headers: { ...auth, 'sec-fetch-site': site } });
    const refused = await pause('cross-site');
    expect(refused.statusCode).toBe(403);
    expect(await queue.isPaused()).toBe(false);
    const evil = await app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/summaries/pause',
      headers: { ...auth, origin: 'https://evil.example', host: 'admin.local' },
    });
    expect(evil.statusCode).toBe(403);
    expect((await pause('same-origin')).statusCode).toBeLessThan(300);
    expect(await queue.isPaused()).toBe(true);
    await queue.resume();
  });
});

describe('operator API', { timeout: 30_000 }, () => {
  it('GET /admin/api/overview counts jobs per state and ages the oldest waiting job', async () => {
    const failed = await deadLetter(queue, redis.url, [{ v: 1 }]);
    const waiting = await addJobs(queue, [validPayload(1, 1), validPayload(1, 1), validPayload(1, 1)]);
    const res = await app.inject({ method: 'GET', url: '/admin/api/overview', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      queue: 'summaries',
      prefix: queue.opts.prefix,
      paused: false,
      failed: 1,
      counts: { waiting: 3, failed: 1, active: 0, delayed: 0 },
    });
    expect(body.oldestWaitingJobId).toBe(waiting[0]?.id);
    expect(body.oldestWaitingAgeMs).toBe(NOW - (waiting[0]?.timestamp ?? 0));
    expect(body.at).toBe(new Date(NOW).toISOString());
    await queue.drain();
    await queue.remove(String(failed[0]?.id));
  });

  it('GET /admin/api/failed lists the dead-letter set with payload sizes, newest first, paged', async () => {
    await deadLetter(queue, redis.url, [{ v: 1, requests: 'not-an-array' }]);
    const [valid] = await deadLetter(queue, redis.url, [validPayload(2, 3)]);
    const res = await app.inject({ method: 'GET', url: '/admin/api/failed', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 2, offset: 0, limit: 100 });
    expect(body.jobs).toHaveLength(2);
    expect(body.jobs[0]).toMatchObject({
      id: valid?.id,
      name: 'apply-summaries',
      attemptsMade: 1,
      requests: 2,
      summaries: 6,
      failedReason: 'cannot apply job: test refuses every write',
    });
    expect(body.jobs[0].timestamp).toBe(valid?.timestamp);
    expect(body.jobs[1]).toMatchObject({
      requests: null,
      summaries: null,
      failedReason: expect.stringMatching(/^malformed apply-summaries payload/),
    });

    const second = await app.inject({ method: 'GET', url: '/admin/api/failed?limit=1&offset=1', headers: auth });
    expect(second.json()).toMatchObject({ total: 2, offset: 1, limit: 1, jobs: [{ id: body.jobs[1].id }] });
    const bad = await app.inject({ method: 'GET', url: '/admin/api/failed?limit=5000', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/limit/) });
  });

  it('answers 503 within a few seconds when Redis is unreachable', async () => {
    const deadQueue = openQueue(`redis://127.0.0.1:${await freePort()}`, uniqueName('admin_down'));
    deadQueue.on('error', () => undefined);
    const down = await buildAdminApp({ logger, queues: [deadQueue], credentials });
    try {
      const started = Date.now();
      const res = await down.inject({ method: 'GET', url: '/admin/api/overview', headers: auth });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: 'redis_unavailable' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await down.close();
      await deadQueue.close().catch(() => undefined);
    }
  });

  it('answers 503 when Redis goes away after start, and recovers when it is back', async () => {
    const own = await startRedis({ appendOnly: false });
    const ownQueue = openQueue(own.url, uniqueName('admin_gone'));
    ownQueue.on('error', () => undefined);
    const admin = await buildAdminApp({ logger, queues: [ownQueue], credentials });
    const overview = () => admin.inject({ method: 'GET', url: '/admin/api/overview', headers: auth });
    try {
      expect((await overview()).statusCode).toBe(200);
      await own.kill('SIGKILL');
      const started = Date.now();
      const res = await overview();
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(Date.now() - started).toBeLessThan(3000);
      await own.restart();
      await waitFor(async () => (await overview()).statusCode === 200, { timeoutMs: 10_000, message: 'admin to recover' });
    } finally {
      await admin.close();
      await ownQueue.close().catch(() => undefined);
      await own.stop();
    }
  });
});
