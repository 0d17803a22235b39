import { createLogger } from '@tally/logger';
import { Queue, shardQueueNames } from '@tally/queue';
import { type RedisServer, startRedis, stopAll, uniqueName } from '@tally/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJobs, deadLetter, validPayload } from '../test/dead-letter.fixture.js';
import { buildAdminApp } from './app.js';
import { operatorConnection } from './redis-connection.js';

const credentials = { user: 'ops', password: 'admin-password-1' };
const auth = { authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` };

let redis: RedisServer;
let shards: Queue[];
let app: FastifyInstance;

// QUEUE_SHARDS=3 on one Redis: the same shard names as on a cluster, without one.
beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
  const prefix = uniqueName('admin_shards');
  shards = shardQueueNames('summaries', { shards: 3, cluster: false }).map(
    (name) => new Queue(name, { connection: operatorConnection(redis.url), prefix }),
  );
  app = await buildAdminApp({
    logger: createLogger({ name: 'admin', level: process.env.LOG_LEVEL ?? 'silent' }),
    queues: shards,
    credentials,
  });
});
afterAll(async () => {
  await app?.close();
  await Promise.all(shards.map((q) => q.close()));
  await stopAll();
});

describe('operator API over QUEUE_SHARDS=3', { timeout: 30_000 }, () => {
  it('GET /admin/api/overview sums every shard and shows each, oldest waiting job across them', async () => {
    await deadLetter(shards[0]!, redis.url, [validPayload(1, 1)]);
    const [oldest] = await addJobs(shards[2]!, [validPayload(1, 1)]);
    await addJobs(shards[1]!, [validPayload(1, 1), validPayload(1, 1)]);
    const res = await app.inject({ method: 'GET', url: '/admin/api/overview', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ queue: 'summaries', paused: false, failed: 1, counts: { waiting: 3, failed: 1 } });
    expect(body.oldestWaitingJobId).toBe(oldest?.id);
    expect(body.shards.map((s: { queue: string; counts: { waiting: number } }) => [s.queue, s.counts.waiting])).toEqual([
      [shards[0]!.name, 0],
      [shards[1]!.name, 2],
      [shards[2]!.name, 1],
    ]);
    await Promise.all(shards.map((q) => q.obliterate({ force: true })));
  });

  it('GET /admin/api/failed pages through the failed jobs of every shard, newest first, naming the shard', async () => {
    const [first] = await deadLetter(shards[1]!, redis.url, [validPayload(1, 1)]);
    const [second] = await deadLetter(shards[0]!, redis.url, [validPayload(2, 1)]);
    const [third] = await deadLetter(shards[2]!, redis.url, [validPayload(3, 1)]);
    const res = await app.inject({ method: 'GET', url: '/admin/api/failed', headers: auth });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      total: 3,
      jobs: [
        { id: third?.id, queue: shards[2]!.name, requests: 3 },
        { id: second?.id, queue: shards[0]!.name, requests: 2 },
        { id: first?.id, queue: shards[1]!.name, requests: 1 },
      ],
    });
    const middle = await app.inject({ method: 'GET', url: '/admin/api/failed?limit=1&offset=1', headers: auth });
    expect(middle.json()).toMatchObject({ total: 3, offset: 1, limit: 1, jobs: [{ id: second?.id }] });
  });
});
