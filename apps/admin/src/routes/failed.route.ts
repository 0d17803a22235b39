import { envInt } from '@tally/config';
import type { Queue } from '@tally/queue';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listFailedJobs } from '../queue-views/failed-jobs.js';

/** Largest page: one job's data can be large, and this endpoint reads every job's hash. */
export const MAX_FAILED_PAGE = 1000;

const query = z.object({
  limit: envInt(100, 0, MAX_FAILED_PAGE),
  offset: envInt(0, 0),
});

/**
 * `GET /admin/api/failed?limit=&offset=`: the dead-letter set, newest failure first, with how
 * many requests and summaries each job carries, so an operator sees what a retry would re-apply.
 */
export async function failedRoute(app: FastifyInstance, { queue }: { queue: Queue }) {
  app.get('/admin/api/failed', async (request, reply) => {
    const parsed = query.safeParse(request.query);
    if (!parsed.success) {
      return reply.code(400).send({
        error: 'bad_request',
        message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      });
    }
    return listFailedJobs(queue, parsed.data);
  });
}
