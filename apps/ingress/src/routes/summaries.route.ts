import { idempotencyKeyHeaderSchema, intercomVersionHeaderSchema, summariesFingerprint, summariesRequestSchema } from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import { emptyBody, errorResponses } from './response-schemas.js';

/**
 * `POST /events/summaries`: validated by its route schema (every rule in the contracts), queued,
 * and answered 200 with an empty body (Intercom's documented response) once the summaries are
 * durable in Redis.
 */
export async function summariesRoute(app: FastifyInstance, { enqueuer, now }: { enqueuer: Enqueuer; now: () => number }) {
  const schema = {
    summary: 'Create event summaries',
    operationId: 'dataEventSummaries',
    tags: ['Data Events'],
    headers: z.object({
      'intercom-version': intercomVersionHeaderSchema.optional(),
      'idempotency-key': idempotencyKeyHeaderSchema.optional(),
    }),
    // Missing first/last default to the time of receipt, and "at most a day ahead" needs the clock.
    body: summariesRequestSchema(() => Math.floor(now() / 1000)),
    response: { 200: emptyBody, ...errorResponses(400, 401, 413, 415, 422, 429, 503) },
  };
  app.withTypeProvider<ZodTypeProvider>().post('/events/summaries', { schema }, async (request, reply) => {
    const { summaries, canonical } = request.body;
    const idempotencyKey = request.headers['idempotency-key'];
    const { replayed } = await enqueuer.submit({
      requestId: request.id,
      workspace: request.workspace,
      summaries,
      // The fingerprint is taken on the validated, canonical request: key order and unknown fields do not count.
      ...(idempotencyKey !== undefined ? { clientKey: { key: idempotencyKey, fingerprint: summariesFingerprint(canonical) } } : {}),
    });
    if (replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(200).send();
  });
}
