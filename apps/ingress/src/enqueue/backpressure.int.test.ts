import { loadConfig } from '@tally/config';
import { createLogger } from '@tally/logger';
import { type RedisServer, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingressConfigSchema } from '../config.js';
import { createIngress, type Ingress } from '../ingress.js';

const TOKENS = { acme: 'token-for-acme-0001', beta: 'token-for-beta-0002' };
let redis: RedisServer;
let admin: Redis;
const open: Ingress[] = [];

async function ingress(env: Record<string, string>): Promise<Ingress> {
  const config = loadConfig(ingressConfigSchema, {
    REDIS_URL: redis.url,
    MONGO_URL: 'mongodb://127.0.0.1:9/?directConnection=true', // unreachable: these tests need no MongoDB
    QUEUE_PREFIX: uniqueName('q'),
    TALLY_TOKENS: Object.entries(TOKENS)
      .map(([w, t]) => `${w}:${t}`)
      .join(','),
    TOKEN_SOURCE: 'env',
    BACKLOG_POLL_MS: '50',
    BATCH_MAX_WAIT_MS: '0',
    ...env,
  });
  const created = await createIngress(config, createLogger({ name: 'ingress', level: process.env.LOG_LEVEL ?? 'silent' }));
  open.push(created);
  await waitFor(() => created.enqueuer.readiness().ready, { message: 'ingress never became ready' });
  return created;
}

/** One request of `n` summaries (no worker runs here: they all stay queued). */
const post = (i: Ingress, workspace: keyof typeof TOKENS, n = 1) =>
  i.app.inject({
    method: 'POST',
    url: '/events/summaries',
    headers: { authorization: `Bearer ${TOKENS[workspace]}`, 'content-type': 'application/json' },
    payload: {
      user_id: 'u',
      event_summaries: Array.from({ length: n }, (_, k) => ({ event_name: `e${k}`, count: 1, first: 1, last: 1 })),
    },
  });

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
  admin = new Redis(redis.url);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((i) => i.close()));
  await admin.config('SET', 'maxmemory', '0');
});
afterAll(async () => {
  admin.disconnect();
  await stopAll();
});

describe('backpressure', () => {
  it('counts the backlog in summaries, not jobs: 503 at the cap though few jobs wait', async () => {
    const i = await ingress({ BACKLOG_MAX_SUMMARIES: '300', BACKLOG_MAX_JOBS: '1000', BACKLOG_WORKSPACE_SHARE_PERCENT: '100' });
    for (const workspace of ['acme', 'beta'] as const) expect((await post(i, workspace, 150)).statusCode).toBe(200);
    await waitFor(() => !i.enqueuer.readiness().ready, { message: 'the summary cap never tripped' });
    const refused = await post(i, 'beta');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json().errors[0]).toEqual({ code: 'service_unavailable', message: 'The queue backlog is over its cap' });
    expect(i.enqueuer.readiness().backlog).toMatchObject({ jobs: 2, summaries: 300 });
    expect((await i.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    // Drained by workers: the queue empties, the count follows, and requests are accepted again.
    await i.queue.drain();
    await waitFor(() => i.enqueuer.readiness().ready, { message: 'never recovered once the queue drained' });
    expect((await post(i, 'beta')).statusCode).toBe(200);
  });

  it("refuses a flooding workspace with 429 while the other workspace's requests still get 200", async () => {
    const i = await ingress({ BACKLOG_MAX_SUMMARIES: '100', BACKLOG_WORKSPACE_SHARE_PERCENT: '50' });
    await waitFor(async () => (await post(i, 'acme', 10)).statusCode === 429, { message: 'the flooding workspace was never refused' });
    const flood = await post(i, 'acme');
    expect(flood.statusCode).toBe(429);
    expect(flood.headers['retry-after']).toBeDefined();
    expect(flood.json().errors[0].code).toBe('rate_limit_exceeded');
    for (let n = 0; n < 5; n += 1) expect((await post(i, 'beta')).statusCode).toBe(200);
    expect(i.enqueuer.readiness().ready).toBe(true);
  });

  it('is not ready once Redis memory nears its maxmemory', async () => {
    const i = await ingress({ REDIS_MEMORY_MAX_PERCENT: '80' });
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1]);
    await admin.config('SET', 'maxmemory', String(Math.ceil(used * 1.1)));
    await waitFor(() => !i.enqueuer.readiness().ready, { message: 'memory pressure never noticed' });
    expect((await post(i, 'acme')).json().errors[0].message).toBe('The queue storage is nearly full');
  });

  it('is not ready after N failed measurements instead of trusting the last figure forever', async () => {
    const i = await ingress({ BACKLOG_MAX_FAILED_POLLS: '3' });
    // The counter's key holding the wrong type makes every measurement fail while Redis is up.
    await i.queue.drain();
    await admin.set(i.queue.toKey('summary-backlog'), 'not a hash');
    await admin.lpush(i.queue.toKey('wait'), 'x');
    await waitFor(() => !i.enqueuer.readiness().ready, { message: 'failing measurements never made the replica unready' });
    expect(i.enqueuer.readiness().reason).toBe('The queue backlog cannot be measured');
  });
});
