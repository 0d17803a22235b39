import { createHash } from 'node:crypto';
import { startMongo, stopAll, uniqueName } from '@tally/testing';
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokensRepository, TOKEN_ID_LENGTH } from './api-tokens.repository.js';
import { COLLECTIONS } from './collections.js';

let client: MongoClient;
let db: Db;
let tokens: ApiTokensRepository;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

beforeAll(async () => {
  const mongo = await startMongo();
  client = await new MongoClient(mongo.uri).connect();
  db = client.db(uniqueName('store_tokens'));
  tokens = new ApiTokensRepository(db);
});
afterAll(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await client?.close();
  await stopAll();
});

describe('ApiTokensRepository', () => {
  it('issues a strong token and stores only its hash', async () => {
    const { token, id } = await tokens.create('acme', { label: 'ci' });
    expect(token).toMatch(/^tly_[A-Za-z0-9_-]{43}$/);
    expect(id).toBe(sha256(token).slice(0, TOKEN_ID_LENGTH));
    const stored = await db.collection(COLLECTIONS.apiTokens).findOne({ _id: sha256(token) as never });
    expect(stored).toMatchObject({ workspace: 'acme', label: 'ci', revokedAt: null });
    expect(stored?.createdAt).toBeInstanceOf(Date);
    expect(JSON.stringify(stored)).not.toContain(token);
    const other = await tokens.create('acme');
    expect(other.token).not.toBe(token);
  });

  it('lists tokens by a short id, never the full hash, filtered by workspace', async () => {
    const { token, id } = await tokens.create('listing-a', { label: '  ' });
    await tokens.create('listing-b', { label: 'b' });
    const listed = await tokens.list('listing-a');
    expect(listed).toEqual([{ id, workspace: 'listing-a', label: null, createdAt: expect.any(Date), revokedAt: null }]);
    expect(JSON.stringify(await tokens.list())).not.toContain(sha256(token));
    expect((await tokens.list()).map((t) => t.workspace)).toEqual(expect.arrayContaining(['listing-a', 'listing-b']));
  });

  it('returns active entries in the shape the ingress compares, and drops revoked ones', async () => {
    const kept = await tokens.create('active');
    const revoked = await tokens.create('active');
    expect(await tokens.revoke(revoked.id)).toMatchObject({ status: 'revoked', token: { id: revoked.id, revokedAt: expect.any(Date) } });
    const entries = await tokens.activeEntries();
    expect(entries).toContainEqual({ workspace: 'active', tokenHash: sha256(kept.token) });
    expect(entries.map((e) => e.tokenHash)).not.toContain(sha256(revoked.token));
  });

  it('revokes idempotently and refuses unknown, malformed and ambiguous ids', async () => {
    const { token, id } = await tokens.create('revoking');
    expect((await tokens.revoke(sha256(token))).status).toBe('revoked'); // the full hash works too
    expect(await tokens.revoke(id)).toMatchObject({ status: 'already-revoked', token: { id } });
    expect(await tokens.revoke('0123456789ab')).toEqual({ status: 'not-found' });
    expect(await tokens.revoke('not-hex!')).toEqual({ status: 'not-found' });
    // Two documents sharing a prefix (made by hand: real hashes share 8 hex digits too rarely).
    await db.collection(COLLECTIONS.apiTokens).insertMany([
      { _id: `ffffffff${'0'.repeat(56)}` as never, workspace: 'x', label: null, createdAt: new Date(), revokedAt: null },
      { _id: `ffffffff${'1'.repeat(56)}` as never, workspace: 'x', label: null, createdAt: new Date(), revokedAt: null },
    ]);
    expect(await tokens.revoke('ffffffff')).toEqual({ status: 'ambiguous', matches: 2 });
    expect((await tokens.activeEntries()).filter((e) => e.tokenHash.startsWith('ffffffff'))).toHaveLength(2);
  });

  it('refuses a workspace the ingress could not accept', async () => {
    await expect(tokens.create('has space')).rejects.toThrow(/workspace must match/);
    await expect(tokens.create('acme', { label: 'x'.repeat(201) })).rejects.toThrow(/at most 200/);
  });
});
