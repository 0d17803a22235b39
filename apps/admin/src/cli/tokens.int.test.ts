import { connectMongo } from '@tally/store';
import {
  freePort,
  type MongoServer,
  type RedisServer,
  startApp,
  startMongo,
  startRedis,
  stopAll,
  uniqueName,
  waitFor,
  waitForLog,
} from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTallyCli } from '../../test/tally-cli.fixture.js';

let mongo: MongoServer;
let redis: RedisServer;
const dbName = uniqueName('cli_tokens');

/** The CLI as a process, against this file's servers. */
const tally = (args: string[], env: Record<string, string> = {}) => runTallyCli(args, { MONGO_URL: mongo.uri, MONGO_DB: dbName, ...env });

beforeAll(async () => {
  mongo = await startMongo();
  redis = await startRedis({ appendOnly: false });
});
afterAll(async () => {
  const conn = await connectMongo(mongo.uri, dbName).catch(() => null);
  await conn?.db.dropDatabase().catch(() => undefined);
  await conn?.close();
  await stopAll();
});

describe('npm run tally -- tokens …', { timeout: 90_000 }, () => {
  it('says, when api_tokens holds none, that the tokens of TALLY_TOKENS are not listed', async () => {
    const empty = await tally(['tokens', 'list'], { MONGO_DB: uniqueName('cli_tokens_empty') });
    expect(empty).toMatchObject({ code: 0 });
    expect(empty.stdout.trim()).toBe(
      'no tokens in api_tokens (tokens given to the ingress in TALLY_TOKENS are accepted too, and not listed here)',
    );
    const none = await tally(['tokens', 'list', '--workspace', 'zed'], { MONGO_DB: uniqueName('cli_tokens_empty') });
    expect(none.stdout.trim()).toBe(
      'no tokens for workspace zed in api_tokens (tokens given to the ingress in TALLY_TOKENS are accepted too, and not listed here)',
    );
  });

  it('creates a token an ingress without TALLY_TOKENS accepts, lists it without its secret, and revokes it', async () => {
    const ingress = await startApp('ingress', {
      env: {
        REDIS_URL: redis.url,
        QUEUE_PREFIX: uniqueName('q'),
        MONGO_URL: mongo.uri,
        MONGO_DB: dbName,
        PORT: '0',
        HOST: '127.0.0.1',
        TOKEN_REFRESH_MS: '200',
      },
    });
    const { url } = await waitForLog(ingress, 'ingress listening');
    await waitForLog(ingress, 'TALLY_TOKENS is empty: only tokens in MongoDB api_tokens are accepted');
    const post = (token: string) =>
      fetch(`${String(url)}/events/summaries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: 'u1', event_summaries: { event_name: 'cli-test' } }),
      }).then((res) => res.status);

    const created = await tally(['tokens', 'create', '--workspace', 'acme', '--label', 'cli test']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^tly_[A-Za-z0-9_-]{43}$/);
    const token = created.stdout;
    const id = /created token ([0-9a-f]{12}) for workspace acme \(label "cli test"\)/.exec(created.stderr)?.[1];
    expect(id).toBeDefined();
    expect(created.stderr).toContain('this is the only time the token is shown');

    await waitFor(async () => (await post(token)) === 200, { timeoutMs: 10_000, message: 'the ingress never accepted the new token' });

    const listed = await tally(['tokens', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).tokens).toEqual([
      { id, workspace: 'acme', label: 'cli test', createdAt: expect.any(String), revokedAt: null },
    ]);
    const table = await tally(['tokens', 'list', '--workspace', 'acme']);
    expect(table.stdout).toMatch(/^ID\s+WORKSPACE\s+AGE\s+STATUS\s+LABEL$/m);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+acme\\s+\\S+\\s+active\\s+cli test$`, 'm'));
    expect(`${listed.stdout}${table.stdout}`).not.toContain(token);

    const revoked = await tally(['tokens', 'revoke', '--id', String(id)]);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked token ${id} of workspace acme` });
    await waitFor(async () => (await post(token)) === 401, { timeoutMs: 10_000, message: 'the ingress still accepted a revoked token' });
    expect((await tally(['tokens', 'list'])).stdout).toMatch(/revoked \S+ ago/);
    expect((await tally(['tokens', 'revoke', '--id', String(id)])).stdout).toBe(`token ${id} of workspace acme was already revoked`);
    await ingress.kill();
  });

  it('exits 1 for an unknown id, 2 on a usage error, 78 without MONGO_URL, 1 when MongoDB is unreachable', async () => {
    const unknown = await tally(['tokens', 'revoke', '--id', '0123456789ab']);
    expect(unknown).toMatchObject({ code: 1, stderr: 'tally: no token with id 0123456789ab (see tokens list)' });

    const usage = await tally(['tokens', 'create']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: npm run tally -- tokens create \[options\]/);
    expect(usage.stderr).toMatch(/\ntally: required option '--workspace <name>' not specified$/);

    const missing = await tally(['tokens', 'list'], { MONGO_URL: '' });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('MONGO_URL');

    const port = await freePort();
    const down = await tally(['tokens', 'list'], { MONGO_URL: `mongodb://ops:secret@127.0.0.1:${port}/` });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(new RegExp(`^tally: cannot reach MongoDB at 127\\.0\\.0\\.1:${port} .*check MONGO_URL$`));
    expect(down.stderr).not.toContain('secret');
  });
});
