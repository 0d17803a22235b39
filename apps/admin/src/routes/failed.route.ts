import { envInt } from '@tally/config';
import type { Queue } from '@tally/queue';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listShardedFailedJobs } from '../queue-views/sharded-failed-jobs.js';

/** Largest page: one job's data can be large, and this endpoint reads every job's hash. */
export const MAX_FAILED_PAGE = 1000;

const query = z.object({
  limit: envInt(100, 0, MAX_FAILED_PAGE),
  offset: envInt(0, 0),
});

/**
 * `GET /admin/api/failed?limit=&offset=`: the dead-letter sets of every shard, newest failure
 * first, with how many requests and summaries each job carries (so an operator sees what a retry
 * would re-apply) and the shard (`queue`) that holds it.
 */
export async function failedRoute(app: FastifyInstance, { queues }: { queues: readonly Queue[] }) {
  app.get('/admin/api/failed', async (request, reply) => {
    const parsed = query.safeParse(request.query);
    if (!parsed.success) {
      return reply.code(400).send({
        error: 'bad_request',
        message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      });
    }
    return listShardedFailedJobs(queues, parsed.data);
  });
}
