import { dataEventDocumentSchema, eventDedupKey, idempotencyKeySchema, intercomVersionSchema, parseDataEventBody } from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import { Errors } from '../errors.js';
import { errorResponses } from './error-responses.js';
import { idempotencyKeyOf } from './idempotency.js';

const schema = {
  summary: 'Submit a data event',
  operationId: 'createDataEvent',
  tags: ['Data Events'],
  headers: z.object({ 'intercom-version': intercomVersionSchema.optional(), 'idempotency-key': idempotencyKeySchema.optional() }),
  body: dataEventDocumentSchema,
  response: { 202: z.null().describe('Queued durably in Redis; empty body'), ...errorResponses(400, 401, 413, 415, 422, 429, 503) },
};

/**
 * `POST /events`: one raw event, named by exactly one of `user_id`, `email` or `id`, counted as
 * a summary of one occurrence and kept with its metadata for the event list. Intercom
 * de-duplicates events by (workspace, user, event name, created_at); Tally does the same, in a
 * namespace of its own, whether or not the client also sends an Idempotency-Key. Answers 202
 * with an empty body.
 */
export async function eventsRoute(app: FastifyInstance, { enqueuer, now }: { enqueuer: Enqueuer; now: () => number }) {
  app.post('/events', { schema }, async (request, reply) => {
    const clientKey = idempotencyKeyOf(request);
    const parsed = parseDataEventBody(request.body, Math.floor(now() / 1000));
    if (!parsed.ok) throw Errors.invalid(parsed.errors);
    // A raw event's identity is its de-duplication key; metadata may differ between repeats.
    const eventKey = eventDedupKey(parsed.canonical);
    const { summary, metadata } = parsed.value;
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
