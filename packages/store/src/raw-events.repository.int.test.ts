import { type MongoServer, startMongo, stopAll, uniqueName } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from './collections.js';
import { EventSummariesRepository, summaryId } from './event-summaries.repository.js';
import { ensureIndexes } from './indexes.js';
import { connectMongo, type MongoConnection } from './mongo-client.js';
import { type RawEvent, RawEventsRepository } from './raw-events.repository.js';
import { userKey } from './user-key.js';

let server: MongoServer;
let mongo: MongoConnection;
let events: RawEventsRepository;

beforeAll(async () => {
  server = await startMongo();
  mongo = await connectMongo(server.uri, uniqueName('raw_events_it'));
  await ensureIndexes(mongo.db);
  events = new RawEventsRepository(mongo.db);
});
afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
  await stopAll();
});

const NOW = Date.UTC(2026, 0, 1);
const event = (user: RawEvent['user_id'], name: string, secondsAgo: number, workspace = 'acme'): RawEvent => ({
  workspace,
  user_id: user,
  event_name: name,
  created_at: new Date(NOW - secondsAgo * 1000),
});
const all = { notBefore: new Date(0), limit: 1000 };

describe('raw_events', () => {
  it('stores an event once, however often it is stored again', async () => {
    const e = { ...event('dup', 'e', 10), metadata: '{"a":1}' };
    expect(await events.store([e, e])).toEqual({ inserted: 1 });
    expect(await events.store([{ ...e, metadata: '{"a":2}' }])).toEqual({ inserted: 0 });
    expect(await events.list('acme', 'dup', all)).toEqual([expect.objectContaining({ event_name: 'e', metadata: '{"a":1}' })]);
  });

  it('pages newest first through events of the same second, each exactly once', async () => {
    // 7 events in 3 seconds: ties must be broken by id, or a page boundary would skip or repeat.
    await events.store(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name, i) => event('pager', name, Math.floor(i / 3))));
    const seen: string[] = [];
    let before: { atMs: number; id: string } | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await events.list('acme', 'pager', { ...all, limit: 2, ...(before ? { before } : {}) });
      seen.push(...page.map((e) => e.event_name));
      const last = page.at(-1);
      if (page.length < 2 || !last) break;
      before = { atMs: last.created_at.getTime(), id: last.id };
    }
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const times = (await events.list('acme', 'pager', all)).map((e) => e.created_at.getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('lists nothing older than the window or than since', async () => {
    await events.store([event('window', 'old', 100), event('window', 'mid', 50), event('window', 'new', 1)]);
    const names = async (page: Partial<{ notBefore: Date; since: Date }>) =>
      (await events.list('acme', 'window', { ...all, ...page })).map((e) => e.event_name);
    expect(await names({ notBefore: new Date(NOW - 60_000) })).toEqual(['new', 'mid']);
    expect(await names({ since: new Date(NOW - 2000) })).toEqual(['new']);
  });

  it('keeps identities and workspaces apart: user_id "a@b.c" is not email "a@b.c"', async () => {
    const byUserId = userKey({ kind: 'user_id', value: 'a@b.c' });
    const byEmail = userKey({ kind: 'email', value: 'a@b.c' });
    const byIntercomId = userKey({ kind: 'intercom_user_id', value: 'a@b.c' });
    await events.store([event(byUserId, 'u', 1), event(byEmail, 'm', 1), event(byIntercomId, 'i', 1), event(byEmail, 'other', 1, 'beta')]);
    expect((await events.list('acme', byUserId, all)).map((e) => e.event_name)).toEqual(['u']);
    expect((await events.list('acme', byEmail, all)).map((e) => e.event_name)).toEqual(['m']);
    expect((await events.list('acme', byIntercomId, all)).map((e) => e.event_name)).toEqual(['i']);
  });

  it('has a TTL index on created_at with the configured window', async () => {
    await ensureIndexes(mongo.db, { eventsRetentionSeconds: 120 });
    const ttl = (await mongo.db.collection(COLLECTIONS.rawEvents).listIndexes().toArray()).find((i) => i.name === 'created_at_ttl');
    expect(ttl).toMatchObject({ key: { created_at: 1 }, expireAfterSeconds: 120 });
  });
});

describe('event_summaries per identity', () => {
  it('keeps one document per identity kind, and reads documents written before identities existed', async () => {
    const summaries = new EventSummariesRepository(mongo.db);
    // A document as every earlier version wrote it: user_id is a plain string, _id its hash.
    await mongo.db.collection(COLLECTIONS.eventSummaries).insertOne({
      _id: summaryId('acme', 'same@example.com', 'e') as never,
      workspace: 'acme',
      user_id: 'same@example.com',
      event_name: 'e',
      count: 4,
      first: new Date(1000),
      last: new Date(2000),
    });
    const delta = (user: RawEvent['user_id']) => ({
      workspace: 'acme',
      user_id: user,
      event_name: 'e',
      count: 1,
      first: new Date(1000),
      last: new Date(1000),
    });
    await summaries.apply([
      delta(userKey({ kind: 'user_id', value: 'same@example.com' })),
      delta(userKey({ kind: 'email', value: 'same@example.com' })),
    ]);
    await summaries.apply([delta(userKey({ kind: 'email', value: 'same@example.com' }))]);
    expect((await summaries.findByUser('acme', 'same@example.com')).map((s) => s.count)).toEqual([5]);
    expect((await summaries.findByUser('acme', { email: 'same@example.com' })).map((s) => s.count)).toEqual([2]);
    expect(await summaries.findByUser('acme', { intercom_user_id: 'same@example.com' })).toEqual([]);
  });
});
