import { dataEventRequestSchema, eventDedupKey, idempotencyKeyHeaderSchema, intercomVersionHeaderSchema } from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import { emptyBody, errorResponses } from './response-schemas.js';

/**
 * `POST /events`: one raw event, named by exactly one of `user_id`, `email` or `id`, counted as
 * a summary of one occurrence and kept with its metadata for the event list. Intercom
 * de-duplicates events by (workspace, user, event name, created_at); Tally does the same, in a
 * namespace of its own, whether or not the client also sends an Idempotency-Key. Answers 202
 * with an empty body.
 */
export async function eventsRoute(app: FastifyInstance, { enqueuer, now }: { enqueuer: Enqueuer; now: () => number }) {
  const schema = {
    summary: 'Submit a data event',
    operationId: 'createDataEvent',
    tags: ['Data Events'],
    headers: z.object({
      'intercom-version': intercomVersionHeaderSchema.optional(),
      'idempotency-key': idempotencyKeyHeaderSchema.optional(),
    }),
    // "created_at at most a day ahead" needs the clock.
    body: dataEventRequestSchema(() => Math.floor(now() / 1000)),
    response: { 202: emptyBody, ...errorResponses(400, 401, 413, 415, 422, 429, 503) },
  };
  app.withTypeProvider<ZodTypeProvider>().post('/events', { schema }, async (request, reply) => {
    const { event, canonical } = request.body;
    const clientKey = request.headers['idempotency-key'];
    // A raw event's identity is its de-duplication key; metadata may differ between repeats.
    const eventKey = eventDedupKey(canonical);
    const { summary, metadata } = event;
    const { replayed } = await enqueuer.submit({
      requestId: request.id,
      workspace: request.workspace,
      summaries: [summary],
      event: metadata === undefined ? {} : { metadata: JSON.stringify(metadata) },
      eventKey,
      ...(clientKey !== undefined ? { clientKey: { key: clientKey, fingerprint: eventKey } } : {}),
    });
    if (replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(202).send();
  });
}
