import { loadConfig } from '@tally/config';
import { createLogger } from '@tally/logger';
import { type RedisServer, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingressConfigSchema } from '../config.js';
import { createIngress, type Ingress } from '../ingress.js';

const TOKENS = { acme1: 'token-for-acme-0001', acme2: 'token-for-acme-0002', beta: 'token-for-beta-0003' };
const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const summary = { user_id: 'u1', event_summaries: { event_name: 'e', count: 1, first: 1671028894, last: 1671028894 } };
/** 3.5 s into a 10-second window: it ends at …010 s, so Retry-After is 7. */
const PINNED_MS = 1_700_000_003_500;

let redis: RedisServer;
const open: Ingress[] = [];

async function ingress(env: Record<string, string>, prefix = uniqueName('q')): Promise<Ingress> {
  const config = loadConfig(ingressConfigSchema, {
    REDIS_URL: redis.url,
    MONGO_URL: 'mongodb://127.0.0.1:9/?directConnection=true', // unreachable: GET /events answers 503
    READ_TIMEOUT_MS: '100',
    QUEUE_PREFIX: prefix,
    TOKEN_SOURCE: 'env',
    TALLY_TOKENS: `acme:${TOKENS.acme1},acme:${TOKENS.acme2},beta:${TOKENS.beta}`,
    ...env,
  });
  const created = await createIngress(config, createLogger({ name: 'ingress', level: process.env.LOG_LEVEL ?? 'silent' }), {
    now: () => PINNED_MS,
  });
  await waitFor(() => created.enqueuer.readiness().ready, { message: 'ingress never became ready' });
  open.push(created);
  return created;
}

const post = (i: Ingress, token = TOKENS.acme1) =>
  i.app.inject({ method: 'POST', url: '/events/summaries', headers: headers(token), payload: summary });

/** What the replicas drew from a window's shared counter in Redis, in total. */
async function drawn(prefix: string, key: string): Promise<number> {
  const client = new Redis(redis.url);
  const value = await client.get(`${prefix}:ratelimit:${key}:${Math.floor(PINNED_MS / 10_000)}`);
  client.disconnect();
  return Number(value);
}

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((i) => i.close()));
});
afterAll(async () => {
  await stopAll();
});

describe('rate limits (RATE_LIMIT_PER_MINUTE)', () => {
  it('sends no X-RateLimit headers when no limit is set', async () => {
    const res = await post(await ingress({}));
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('puts X-RateLimit-Limit, -Remaining and -Reset on every authenticated answer, errors included', async () => {
    const i = await ingress({ RATE_LIMIT_PER_MINUTE: '600' }); // 100 per 10-second window
    const answers = [
      await post(i),
      await i.app.inject({ method: 'POST', url: '/events/summaries', headers: headers(TOKENS.acme1), payload: { user_id: 'u' } }),
      await i.app.inject({ method: 'GET', url: '/events?type=user&user_id=u1&summary=true', headers: headers(TOKENS.acme1) }),
      await i.app.inject({
        method: 'POST',
        url: '/events',
        headers: headers(TOKENS.acme1),
        payload: { event_name: 'e', created_at: 1671028894, user_id: 'u1' },
      }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 400, 503, 202]);
    expect(answers.map((a) => a.headers['x-ratelimit-limit'])).toEqual(['600', '600', '600', '600']);
    expect(answers.map((a) => a.headers['x-ratelimit-remaining'])).toEqual(['99', '98', '97', '96']);
    expect(answers.map((a) => a.headers['x-ratelimit-reset'])).toEqual(Array(4).fill('1700000010'));
    const unauthenticated = await post(i, 'token-nobody-has');
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('answers 429 rate_limit_exceeded with Retry-After past the limit, per workspace across its tokens', async () => {
    const i = await ingress({ RATE_LIMIT_PER_MINUTE: '60' }); // 10 per window
    const statuses: number[] = [];
    for (let n = 0; n < 12; n += 1) statuses.push((await post(i, n % 2 === 0 ? TOKENS.acme1 : TOKENS.acme2)).statusCode);
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    const refused = await post(i);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('7');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.json()).toEqual({
      type: 'error.list',
      request_id: refused.headers['x-request-id'],
      errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 60 per minute (spread over 10-second windows)' }],
    });
    // Another workspace has its own allowance.
    expect((await post(i, TOKENS.beta)).statusCode).toBe(200);
  });

  it('limits each token on its own with RATE_LIMIT_PER_TOKEN_PER_MINUTE', async () => {
    const i = await ingress({ RATE_LIMIT_PER_TOKEN_PER_MINUTE: '12' }); // 2 per window
    expect([(await post(i)).statusCode, (await post(i)).statusCode, (await post(i)).statusCode]).toEqual([200, 200, 429]);
    expect((await post(i, TOKENS.acme2)).statusCode).toBe(200);
  });

  it('shares one limit between two replicas, drawing from Redis in chunks rather than per request', async () => {
    const prefix = uniqueName('q');
    const [a, b] = [await ingress({ RATE_LIMIT_PER_MINUTE: '600' }, prefix), await ingress({ RATE_LIMIT_PER_MINUTE: '600' }, prefix)];
    const fromA = await Promise.all(Array.from({ length: 50 }, () => post(a!)));
    const fromB = await Promise.all(Array.from({ length: 60 }, () => post(b!)));
    const ok = [...fromA, ...fromB].filter((r) => r.statusCode === 200).length;
    expect(fromA.every((r) => r.statusCode === 200)).toBe(true);
    // 100 per window in total, whichever replica the requests reached.
    expect(ok).toBe(100);
    expect(fromB.filter((r) => r.statusCode === 429)).toHaveLength(10);
    // Chunks of 10: 5 draws on A, 5 granted and 1 refused on B (11 Redis calls for 110 requests).
    expect(await drawn(prefix, 'workspace:acme')).toBe(110);
  });
});
