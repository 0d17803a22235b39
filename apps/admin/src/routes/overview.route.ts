import type { Queue } from '@tally/queue';
import type { FastifyInstance } from 'fastify';
import { readOverview } from '../queue-views/overview.js';

/** `GET /admin/api/overview`: job counts per state, oldest waiting job's age, failed count. */
export async function overviewRoute(app: FastifyInstance, { queue, now }: { queue: Queue; now: () => number }) {
  app.get('/admin/api/overview', async () => readOverview(queue, now));
}
