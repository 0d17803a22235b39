import { parseTokens } from '@tally/config';
import { createLogger } from '@tally/logger';
import { ApiTokensRepository, LazyMongo } from '@tally/store';
import { freePort, type MongoServer, startMongo, stopAll, uniqueName } from '@tally/testing';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.js';

const ENV_TOKEN = 'env-token-for-acme-01';
const dbName = uniqueName('ingress_tokens');
const logger = createLogger({ name: 'ingress', level: process.env.LOG_LEVEL ?? 'silent' });
const opened: { stop(): void }[] = [];
const clients: { close(): Promise<void> }[] = [];

let server: MongoServer;
let admin: MongoClient;
let repo: ApiTokensRepository;

/** A cache reading api_tokens the way the ingress does: through a LazyMongo. */
function cacheOver(url: string, db = dbName): TokenCache {
  const mongo = new LazyMongo(url, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500, socketTimeoutMS: 1000 });
  clients.push(mongo);
  const cache = new TokenCache({
    envTokens: parseTokens(`acme:${ENV_TOKEN}`),
    load: async () => new ApiTokensRepository(await mongo.db(db)).activeEntries(),
    refreshMs: 3_600_000, // the tests refresh by hand
    logger,
  });
  opened.push(cache);
  return cache;
}

const accepts = (cache: TokenCache, token: string) => cache.workspaceFor(token);

beforeAll(async () => {
  server = await startMongo();
  admin = await new MongoClient(server.uri).connect();
  repo = new ApiTokensRepository(admin.db(dbName));
});
afterEach(async () => {
  for (const cache of opened.splice(0)) cache.stop();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await admin
    ?.db(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await admin?.close();
  await stopAll();
});

describe('TokenCache over MongoDB api_tokens', () => {
  it('accepts a token created in MongoDB after a refresh, and stops accepting it once revoked', async () => {
    const cache = cacheOver(server.uri);
    expect(await cache.refresh()).toBe(true);
    const { token, id } = await repo.create('beta', { label: 'sdk' });
    expect(accepts(cache, token)).toBeNull(); // not loaded yet: auth never asks MongoDB
    expect(await cache.refresh()).toBe(true);
    expect(accepts(cache, token)).toBe('beta');
    expect(accepts(cache, ENV_TOKEN)).toBe('acme');

    await repo.revoke(id);
    expect(await cache.refresh()).toBe(true);
    expect(accepts(cache, token)).toBeNull();
    expect(accepts(cache, ENV_TOKEN)).toBe('acme');
  });

  it('starts without waiting for an unreachable MongoDB and accepts the env tokens at once', async () => {
    const cache = cacheOver(`mongodb://127.0.0.1:${await freePort()}/`);
    const started = Date.now();
    cache.start();
    expect(Date.now() - started).toBeLessThan(50);
    expect(accepts(cache, ENV_TOKEN)).toBe('acme');
    expect(await cache.refresh()).toBe(false);
    expect(accepts(cache, ENV_TOKEN)).toBe('acme');
  });

  it('keeps the env tokens and the last tokens MongoDB gave while MongoDB is unreachable', async () => {
    // A MongoDB of its own, killed mid-test. Against MONGO_URL (a server this test does not own)
    // the outage is a connection to a closed port instead.
    const own = server.external ? server : await startMongo({ childProcess: true });
    const ownDb = uniqueName('ingress_tokens_outage');
    const seed = await new MongoClient(own.uri).connect();
    clients.push(seed);
    const { token } = await new ApiTokensRepository(seed.db(ownDb)).create('gamma');
    let url = own.uri;
    const mongo = () => new LazyMongo(url, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500, socketTimeoutMS: 1000 });
    let reader = mongo();
    clients.push({ close: () => reader.close() });
    const cache = new TokenCache({
      envTokens: parseTokens(`acme:${ENV_TOKEN}`),
      load: async () => new ApiTokensRepository(await reader.db(ownDb)).activeEntries(),
      refreshMs: 3_600_000,
      logger,
    });
    opened.push(cache);
    expect(await cache.refresh()).toBe(true);
    expect(accepts(cache, token)).toBe('gamma');

    if (server.external) {
      await reader.close();
      url = `mongodb://127.0.0.1:${await freePort()}/`;
      reader = mongo();
    } else {
      await seed.close();
      await own.kill();
    }
    expect(await cache.refresh()).toBe(false);
    expect(await cache.refresh()).toBe(false);
    expect(accepts(cache, token)).toBe('gamma');
    expect(accepts(cache, ENV_TOKEN)).toBe('acme');
    expect(accepts(cache, 'tly_never-issued')).toBeNull();
  });
});
