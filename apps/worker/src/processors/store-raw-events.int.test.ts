import type { SummaryBatchJob } from '@tally/contracts';
import { createLogger } from '@tally/logger';
import { consumerConnection, JOB_CATALOG, JOBS, type Job, Queue, queueName } from '@tally/queue';
import {
  COLLECTIONS,
  connectMongo,
  EventSummariesRepository,
  ensureIndexes,
  IngestLedgerRepository,
  type MongoConnection,
  type RawEvent,
  RawEventsRepository,
} from '@tally/store';
import { type MongoServer, type RedisServer, startMongo, startRedis, stopAll, uniqueName } from '@tally/testing';
import type { ClientSession } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySummariesProcessor } from './apply-summaries.processor.js';

const logger = createLogger({ name: 'worker', level: process.env.LOG_LEVEL ?? 'silent' });
let redis: RedisServer;
let mongoServer: MongoServer;
let mongo: MongoConnection;
let queue: Queue;

beforeAll(async () => {
  redis = await startRedis();
  mongoServer = await startMongo();
  mongo = await connectMongo(mongoServer.uri, uniqueName('raw_it'));
  await ensureIndexes(mongo.db);
  queue = new Queue(queueName('summaries'), { connection: consumerConnection(redis.url), prefix: uniqueName('q') });
});
afterAll(async () => {
  await queue.close();
  await mongo.db.dropDatabase();
  await mongo.close();
  await stopAll();
});

const deps = (rawEvents = new RawEventsRepository(mongo.db)) => ({
  client: mongo.client,
  summaries: new EventSummariesRepository(mongo.db),
  ledger: new IngestLedgerRepository(mongo.db),
  rawEvents,
  transactions: true,
});
const rawEvent = (user: string, at: number, metadata?: string, identity?: 'email') => ({
  requestId: `r-${user}-${at}`,
  workspace: 'acme',
  idempotencyKey: `event:${identity ?? 'user_id'}:${user}:${at}`,
  summaries: [{ user_id: user, ...(identity ? { identity } : {}), event_name: 'placed-order', count: 1, first: at, last: at }],
  event: metadata === undefined ? {} : { metadata },
});
const add = async (requests: SummaryBatchJob['requests']) =>
  (await queue.add(JOBS.applySummaries, { v: 1, requests }, JOB_CATALOG[JOBS.applySummaries].options)) as Job;
const listed = (user: RawEvent['user_id']) => new RawEventsRepository(mongo.db).list('acme', user, { notBefore: new Date(0), limit: 100 });
const counted = async (user: RawEvent['user_id']) => (await new EventSummariesRepository(mongo.db).findByUser('acme', user))[0]?.count;

describe('raw events in the apply-summaries transaction', () => {
  it('stores each raw event with its metadata, exactly once, beside its count', async () => {
    const process = applySummariesProcessor(deps());
    const job = await add([rawEvent('u1', 100, '{"b":1,"a":"é"}'), rawEvent('u1', 200), rawEvent('u1', 200)]);
    await process(job, logger);
    await process(job, logger); // a re-run job (a worker died after commit): nothing is applied twice
    await process(await add([rawEvent('u1', 100, '{"b":1,"a":"é"}')]), logger); // a client retry
    expect(await counted('u1')).toBe(2);
    expect((await listed('u1')).map((e) => [e.created_at.getTime(), e.metadata])).toEqual([
      [200_000, undefined],
      [100_000, '{"b":1,"a":"é"}'],
    ]);
  });

  it('keys an event by the identity it was sent with', async () => {
    await applySummariesProcessor(deps())(await add([rawEvent('a@b.c', 300, undefined, 'email'), rawEvent('a@b.c', 300)]), logger);
    expect((await listed({ email: 'a@b.c' })).map((e) => e.event_name)).toEqual(['placed-order']);
    expect(await counted({ email: 'a@b.c' })).toBe(1);
    expect(await counted('a@b.c')).toBe(1);
  });

  it('writes nothing to raw_events for summaries-only batches', async () => {
    const before = await mongo.db.collection(COLLECTIONS.rawEvents).countDocuments();
    const summary = {
      requestId: 'r',
      workspace: 'acme',
      summaries: [{ user_id: 'only-summaries', event_name: 'e', count: 3, first: 1, last: 2 }],
    };
    await applySummariesProcessor(deps())(await add([summary]), logger);
    expect(await counted('only-summaries')).toBe(3);
    expect(await mongo.db.collection(COLLECTIONS.rawEvents).countDocuments()).toBe(before);
  });

  it('rolls the count back with the events when storing them fails', async () => {
    class FailingAfterWrite extends RawEventsRepository {
      override async store(events: RawEvent[], session?: ClientSession): Promise<never> {
        await super.store(events, session);
        throw new Error('disk full (simulated after the write)');
      }
    }
    const process = applySummariesProcessor(deps(new FailingAfterWrite(mongo.db)));
    await expect(process(await add([rawEvent('rolled-back', 400, '{"a":1}')]), logger)).rejects.toThrow(/disk full/);
    expect(await counted('rolled-back')).toBeUndefined();
    expect(await listed('rolled-back')).toEqual([]);
  });
});
