import { loadConfig } from '@tally/config';
import { createLogger } from '@tally/logger';
import { ApiTokensRepository } from '@tally/store';
import { type MongoServer, type RedisServer, startMongo, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingressConfigSchema } from '../config.js';
import { createIngress, type Ingress } from '../ingress.js';

let redis: RedisServer;
let mongo: MongoServer;
let token: string;
const database = uniqueName('token_authority');
const open: Ingress[] = [];

async function ingress(env: Record<string, string>): Promise<Ingress> {
  const config = loadConfig(ingressConfigSchema, {
    REDIS_URL: redis.url,
    MONGO_URL: mongo.uri,
    MONGO_DB: database,
    QUEUE_PREFIX: uniqueName('q'),
    TOKEN_REFRESH_MS: '200',
    ...env,
  });
  const created = await createIngress(config, createLogger({ name: 'ingress', level: process.env.LOG_LEVEL ?? 'silent' }));
  open.push(created);
  return created;
}

const post = (i: Ingress, bearer: string) =>
  i.app.inject({
    method: 'POST',
    url: '/events/summaries',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    payload: { user_id: 'u', event_summaries: { event_name: 'e', count: 1, first: 1, last: 1 } },
  });

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
  // A child process, so the test can freeze it (SIGSTOP) the way a hung MongoDB looks.
  mongo = await startMongo({ childProcess: true });
  const client = await new MongoClient(mongo.uri).connect();
  ({ token } = await new ApiTokensRepository(client.db(database)).create('beta'));
  await client.close();
});
afterEach(async () => {
  await mongo.resume();
  await Promise.all(open.splice(0).map((i) => i.close()));
});
afterAll(async () => {
  await stopAll();
});

describe('a replica started while MongoDB is frozen, with tokens only in MongoDB', { timeout: 60_000 }, () => {
  it('answers 503 with Retry-After (never 401) until api_tokens loaded, then 200', async () => {
    await mongo.pause();
    const i = await ingress({ TOKEN_SOURCE: 'mongo' });
    expect(await i.tokens.refresh()).toBe(false); // a load was tried, and failed
    const early = await post(i, token);
    expect(early.statusCode).toBe(503);
    expect(early.headers['retry-after']).toBeDefined();
    expect(early.json()).toMatchObject({ type: 'error.list', errors: [{ code: 'service_unavailable' }] });
    expect((await i.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);

    await mongo.resume();
    const statuses: number[] = [];
    await waitFor(
      async () => {
        const status = (await post(i, token)).statusCode;
        statuses.push(status);
        return status === 200;
      },
      { timeoutMs: 20_000, message: 'the MongoDB token was never accepted' },
    );
    expect(statuses).not.toContain(401);
    expect((await post(i, 'tly_never-issued-token')).statusCode).toBe(401);
  });

  it('with TOKEN_SOURCE=env, never asks MongoDB: ready at once, and an unknown token is 401', async () => {
    await mongo.pause();
    const i = await ingress({ TOKEN_SOURCE: 'env', TALLY_TOKENS: 'acme:env-token-0001' });
    await waitFor(async () => (await i.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, {
      message: '/readyz never answered 200',
    });
    expect((await post(i, 'env-token-0001')).statusCode).toBe(200);
    expect((await post(i, token)).statusCode).toBe(401);
  });
});
