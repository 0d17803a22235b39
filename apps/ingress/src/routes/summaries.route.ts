import { fingerprint, idempotencyKeySchema, intercomVersionSchema, parseSummariesBody, summariesBodySchema } from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import { Errors } from '../errors.js';
import { errorResponses } from './error-responses.js';
import { idempotencyKeyOf } from './idempotency.js';

const schema = {
  summary: 'Create event summaries',
  operationId: 'dataEventSummaries',
  tags: ['Data Events'],
  headers: z.object({ 'intercom-version': intercomVersionSchema.optional(), 'idempotency-key': idempotencyKeySchema.optional() }),
  body: summariesBodySchema,
  response: { 200: z.null().describe('Queued durably in Redis; empty body'), ...errorResponses(400, 401, 413, 415, 422, 429, 503) },
};

/**
 * `POST /events/summaries`: validate, queue, and answer 200 with an empty body (Intercom's
 * documented response) once the summaries are durable in Redis.
 */
export async function summariesRoute(app: FastifyInstance, { enqueuer, now }: { enqueuer: Enqueuer; now: () => number }) {
  app.post('/events/summaries', { schema }, async (request, reply) => {
    const idempotencyKey = idempotencyKeyOf(request);
    const parsed = parseSummariesBody(request.body, Math.floor(now() / 1000));
    if (!parsed.ok) throw Errors.invalid(parsed.errors);
    const { replayed } = await enqueuer.submit({
      requestId: request.id,
      workspace: request.workspace,
      summaries: parsed.value,
      // The fingerprint is taken on the validated, canonical request: key order and unknown fields do not count.
      ...(idempotencyKey !== undefined ? { clientKey: { key: idempotencyKey, fingerprint: fingerprint(parsed.canonical) } } : {}),
    });
    if (replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(200).send();
  });
}
