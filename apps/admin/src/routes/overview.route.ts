import { type Queue, queueName } from '@tally/queue';
import type { FastifyInstance } from 'fastify';
import { readShardedOverview } from '../queue-views/overview.js';

/**
 * `GET /admin/api/overview`: job counts per state, oldest waiting job's age, failed count, summed
 * over every shard of the summaries queue, with each shard's own figures under `shards`.
 */
export async function overviewRoute(app: FastifyInstance, { queues, now }: { queues: readonly Queue[]; now: () => number }) {
  app.get('/admin/api/overview', async () => readShardedOverview(queueName('summaries'), queues, now));
}
