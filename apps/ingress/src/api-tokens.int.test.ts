import { loadConfig } from '@tally/config';
import { createLogger } from '@tally/logger';
import { ApiTokensRepository } from '@tally/store';
import { type MongoServer, type RedisServer, startMongo, startRedis, stopAll, uniqueName, waitFor } from '@tally/testing';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingressConfigSchema } from './config.js';
import { createIngress, type Ingress } from './ingress.js';

const dbName = uniqueName('ingress_api_tokens');
const summary = { user_id: 'u1', event_summaries: { event_name: 'signed-up', count: 1 } };

let redis: RedisServer;
let mongo: MongoServer;
let admin: MongoClient;
let repo: ApiTokensRepository;
const open: Ingress[] = [];

/** An ingress with no TALLY_TOKENS at all: every token it accepts comes from api_tokens. */
async function ingress(): Promise<Ingress> {
  const config = loadConfig(ingressConfigSchema, {
    REDIS_URL: redis.url,
    MONGO_URL: mongo.uri,
    MONGO_DB: dbName,
    QUEUE_PREFIX: uniqueName('q'),
    TOKEN_REFRESH_MS: '100',
  });
  const created = await createIngress(config, createLogger({ name: 'ingress', level: process.env.LOG_LEVEL ?? 'silent' }));
  open.push(created);
  await waitFor(() => created.enqueuer.readiness().ready, { message: 'ingress never became ready' });
  return created;
}

const post = (i: Ingress, token: string) =>
  i.app.inject({
    method: 'POST',
    url: '/events/summaries',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: summary,
  });

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
  mongo = await startMongo();
  admin = await new MongoClient(mongo.uri).connect();
  repo = new ApiTokensRepository(admin.db(dbName));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((i) => i.close()));
});
afterAll(async () => {
  await admin
    ?.db(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await admin?.close();
  await stopAll();
});

describe('tokens from MongoDB api_tokens', () => {
  it('authenticate requests for their workspace, and stop within a refresh once revoked', async () => {
    expect(loadConfig(ingressConfigSchema, { MONGO_URL: mongo.uri, TALLY_TOKENS: '' }).TALLY_TOKENS).toEqual([]);
    const { token, id } = await repo.create('acme', { label: 'ingress test' });
    const i = await ingress();

    const accepted = await waitFor(
      async () => {
        const res = await post(i, token);
        return res.statusCode === 200 ? res : null;
      },
      { message: 'a token created in MongoDB was never accepted' },
    );
    expect(accepted.statusCode).toBe(200);
    const [job] = await i.queue.getJobs(['waiting', 'active', 'completed']);
    expect(job?.data.requests[0]?.workspace).toBe('acme');

    await repo.revoke(id);
    const refused = await waitFor(
      async () => {
        const res = await post(i, token);
        return res.statusCode === 401 ? res : null;
      },
      { message: 'a revoked token was still accepted' },
    );
    expect(refused.json().errors).toEqual([{ code: 'unauthorized', message: 'Access Token Invalid' }]);
  });

  it('refuses a token MongoDB does not know', async () => {
    const i = await ingress();
    await waitFor(() => i.tokens.refresh(), { message: 'api_tokens never loaded' });
    expect((await post(i, 'tly_not-a-token-anyone-was-given')).statusCode).toBe(401);
  });
});
