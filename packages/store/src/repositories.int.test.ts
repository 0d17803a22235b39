import { type MongoServer, startMongo, stopAll, uniqueName } from '@tally/testing';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError, isPermanentMongoError } from './errors.js';
import { EventSummariesRepository, summaryId } from './event-summaries.repository.js';
import { ensureIndexes } from './indexes.js';
import { IngestLedgerRepository, jobEntryId, keyEntryId } from './ingest-ledger.repository.js';
import { connectMongo, type MongoConnection, supportsTransactions } from './mongo-client.js';

let server: MongoServer;
let mongo: MongoConnection;

beforeAll(async () => {
  server = await startMongo();
  mongo = await connectMongo(server.uri, uniqueName('store_it'));
  await ensureIndexes(mongo.db);
});
afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
  await stopAll();
});

const delta = (user: string, count: number, first: number, last: number, workspace = 'acme', event = 'e') => ({
  workspace,
  user_id: user,
  event_name: event,
  count,
  first: new Date(first * 1000),
  last: new Date(last * 1000),
});

describe('event_summaries', () => {
  it('upserts: count adds, first is the earliest, last the latest', async () => {
    const repo = new EventSummariesRepository(mongo.db);
    expect(await repo.apply([delta('u1', 2, 100, 200)])).toEqual({ upserted: 1, modified: 0 });
    expect(await repo.apply([delta('u1', 3, 50, 150)])).toEqual({ upserted: 0, modified: 1 });
    await repo.apply([delta('u1', 1, 120, 300)]);
    expect(await repo.findByUser('acme', 'u1')).toEqual([{ event_name: 'e', count: 6, first: new Date(50_000), last: new Date(300_000) }]);
  });

  it('keeps one document per workspace, user and event, with a deterministic _id', async () => {
    const repo = new EventSummariesRepository(mongo.db);
    await repo.apply([delta('u2', 1, 1, 1, 'acme', 'b'), delta('u2', 1, 1, 1, 'acme', 'a'), delta('u2', 5, 1, 1, 'beta', 'a')]);
    expect((await repo.findByUser('acme', 'u2')).map((s) => [s.event_name, s.count])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect((await repo.findByUser('beta', 'u2')).map((s) => s.count)).toEqual([5]);
    const doc = await mongo.db.collection(COLLECTIONS.eventSummaries).findOne({ workspace: 'beta', user_id: 'u2' });
    expect(doc?._id).toBe(summaryId('beta', 'u2', 'a'));
    expect(summaryId('a:b', 'c', 'd')).not.toBe(summaryId('a', 'b:c', 'd'));
  });

  it('refuses a second document for the same key (unique index)', async () => {
    const coll = mongo.db.collection(COLLECTIONS.eventSummaries);
    const error = await coll
      .insertOne({ _id: 'other-id' as never, workspace: 'acme', user_id: 'u1', event_name: 'e', count: 1 })
      .catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);
  });
});

describe('event_summaries export cursor', () => {
  it('streams one workspace by user and event, filtered by user and by last, in small batches', async () => {
    const repo = new EventSummariesRepository(mongo.db);
    const workspace = uniqueName('ws');
    await repo.apply([
      delta('zed', 1, 10, 20, workspace, 'a'),
      delta('amy', 2, 10, 500, workspace, 'b'),
      delta('amy', 3, 10, 20, workspace, 'a'),
      delta('amy', 9, 10, 20, 'other-workspace', 'a'),
    ]);
    const all = await repo.cursor({ workspace }, 1).toArray();
    expect(all.map((s) => [s.user_id, s.event_name, s.count])).toEqual([
      ['amy', 'a', 3],
      ['amy', 'b', 2],
      ['zed', 'a', 1],
    ]);
    expect(all[0]).toEqual({ user_id: 'amy', event_name: 'a', count: 3, first: new Date(10_000), last: new Date(20_000) });
    expect((await repo.cursor({ workspace, userId: 'zed' }).toArray()).map((s) => s.user_id)).toEqual(['zed']);
    expect((await repo.cursor({ workspace, since: new Date(100_000) }).toArray()).map((s) => s.event_name)).toEqual(['b']);
    expect(await repo.count({ workspace })).toBe(3);
  });
});

describe('event_summaries: what an export that found nothing can say', () => {
  it('tells a workspace that holds summaries, whatever its users are named by, and lists those that do, sorted', async () => {
    const repo = new EventSummariesRepository(mongo.db);
    const w = uniqueName('why');
    await repo.apply([delta('u1', 1, 1, 1, `${w}-b`), delta('u2', 1, 1, 1, `${w}-a`)]);
    await repo.apply([{ ...delta('', 1, 1, 1, `${w}-mail`), user_id: { email: 'ann@example.com' } }]);

    expect(await repo.holdsAny(`${w}-typo`)).toBe(false);
    expect(await repo.holdsAny(`${w}-a`)).toBe(true);
    // Only a user named by email: the export's cursor takes none of it, yet the workspace holds summaries.
    expect(await repo.cursor({ workspace: `${w}-mail` }).toArray()).toEqual([]);
    expect(await repo.holdsAny(`${w}-mail`)).toBe(true);
    expect((await repo.workspaces()).filter((name) => name.startsWith(w))).toEqual([`${w}-a`, `${w}-b`, `${w}-mail`]);
  });
});

describe('ingest_ledger', () => {
  it('records a job and its keys, and finds them again', async () => {
    const ledger = new IngestLedgerRepository(mongo.db);
    expect(await ledger.hasJob('job-1')).toBe(false);
    await ledger.record('job-1', [keyEntryId('acme', 'k1')]);
    expect(await ledger.hasJob('job-1')).toBe(true);
    expect(await ledger.existing([keyEntryId('acme', 'k1'), keyEntryId('beta', 'k1')])).toEqual(
      new Map([[keyEntryId('acme', 'k1'), null]]),
    );
    const entry = await mongo.db.collection(COLLECTIONS.ingestLedger).findOne({ _id: keyEntryId('acme', 'k1') as never });
    expect(entry).toMatchObject({ kind: 'key', job: jobEntryId('job-1') });
    expect(entry?.at).toBeInstanceOf(Date);
  });

  it('keeps the fingerprint a key was first applied with', async () => {
    const ledger = new IngestLedgerRepository(mongo.db);
    await ledger.record('job-fp', [{ id: keyEntryId('acme', 'k-fp'), fingerprint: 'f1' }]);
    expect(await ledger.existing([keyEntryId('acme', 'k-fp')])).toEqual(new Map([[keyEntryId('acme', 'k-fp'), 'f1']]));
  });

  it('raises a duplicate-key error when the same job is recorded twice', async () => {
    const ledger = new IngestLedgerRepository(mongo.db);
    await ledger.record('job-2', []);
    expect(isDuplicateKeyError(await ledger.record('job-2', []).catch((e: unknown) => e))).toBe(true);
  });

  it('records jobs applied together as one entry, and none of them can be recorded again, alone, split or together', async () => {
    const ledger = new IngestLedgerRepository(mongo.db);
    await ledger.recordTogether([
      { jobId: 'tog-1', keys: [{ id: keyEntryId('acme', 'k-tog'), fingerprint: 'f' }] },
      { jobId: 'tog-2', keys: [] },
    ]);
    expect(await ledger.jobStates(['tog-1', 'tog-2', 'tog-3'])).toEqual(
      new Map([
        ['tog-1', 'applied'],
        ['tog-2', 'applied'],
      ]),
    );
    expect(await mongo.db.collection(COLLECTIONS.ingestLedger).countDocuments({ kind: 'jobs' })).toBe(1);
    expect(await ledger.existing([keyEntryId('acme', 'k-tog')])).toEqual(new Map([[keyEntryId('acme', 'k-tog'), 'f']]));
    expect(isDuplicateKeyError(await ledger.record('tog-1', []).catch((e: unknown) => e))).toBe(true);
    expect(
      isDuplicateKeyError(
        await ledger
          .recordTogether([
            { jobId: 'tog-3', keys: [] },
            { jobId: 'tog-2', keys: [] },
          ])
          .catch((e: unknown) => e),
      ),
    ).toBe(true);
    expect(await ledger.markSplit('tog-2')).toBe('applied');
    expect(await ledger.jobState('tog-3')).toBe('unknown');
  });
});

describe('indexes', () => {
  it('are created idempotently, and a changed ledger TTL is applied', async () => {
    await ensureIndexes(mongo.db, { ledgerTtlSeconds: 3600 });
    await ensureIndexes(mongo.db, { ledgerTtlSeconds: 3600 });
    const ttl = (await mongo.db.collection(COLLECTIONS.ingestLedger).listIndexes().toArray()).find((i) => i.name === 'at_ttl');
    expect(ttl?.expireAfterSeconds).toBe(3600);
    const unique = (await mongo.db.collection(COLLECTIONS.eventSummaries).listIndexes().toArray()).find(
      (i) => i.name === 'workspace_user_event_unique',
    );
    expect(unique).toMatchObject({ unique: true, key: { workspace: 1, user_id: 1, event_name: 1 } });
  });
});

describe('deployment checks and error classes', () => {
  it('sees a replica set (transactions available)', async () => {
    expect(await supportsTransactions(mongo.db)).toBe(true);
  });

  it('retries an unreachable server and a ledger race; gives up on a duplicate summary key', async () => {
    const client = new MongoClient('mongodb://127.0.0.1:9/?directConnection=true', { serverSelectionTimeoutMS: 300 });
    const error = await client
      .db('x')
      .command({ ping: 1 })
      .catch((e: unknown) => e);
    await client.close();
    expect(isPermanentMongoError(error)).toBe(false);
    const ledger = new IngestLedgerRepository(mongo.db);
    await ledger.record('job-race', []);
    expect(isPermanentMongoError(await ledger.record('job-race', []).catch((e: unknown) => e))).toBe(false);
    // The driver writes a lone surrogate as U+FFFD: two names, one index key.
    const poison = await new EventSummariesRepository(mongo.db)
      .apply([
        { workspace: 'w', user_id: 'u', event_name: '\ud800', count: 1, first: new Date(0), last: new Date(0) },
        { workspace: 'w', user_id: 'u', event_name: '\ufffd', count: 1, first: new Date(0), last: new Date(0) },
      ])
      .catch((e: unknown) => e);
    expect(isPermanentMongoError(poison)).toBe(true);
  });
});
