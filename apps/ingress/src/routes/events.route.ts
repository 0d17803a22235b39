import { dataEventBodySchema, idempotencyKeySchema, intercomVersionSchema, parseDataEventBody } from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import { Errors } from '../errors.js';
import { errorResponses } from './error-responses.js';
import { fingerprint, idempotencyKeyOf } from './idempotency.js';

const schema = {
  summary: 'Submit a data event',
  operationId: 'createDataEvent',
  tags: ['Data Events'],
  headers: z.object({ 'intercom-version': intercomVersionSchema.optional(), 'idempotency-key': idempotencyKeySchema.optional() }),
  body: dataEventBodySchema,
  response: { 202: z.null().describe('Queued durably in Redis; empty body'), ...errorResponses(400, 401, 413, 415, 422, 429, 503) },
};

/**
 * `POST /events`: one raw event, counted as a summary of one occurrence. Intercom de-duplicates
 * events by (workspace, user, event name, created_at); Tally does the same through the ledger,
 * unless the client sends its own Idempotency-Key. Answers 202 with an empty body.
 */
export async function eventsRoute(app: FastifyInstance, { enqueuer, now }: { enqueuer: Enqueuer; now: () => number }) {
  app.post('/events', { schema }, async (request, reply) => {
    const clientKey = idempotencyKeyOf(request);
    const parsed = parseDataEventBody(request.body, Math.floor(now() / 1000));
    if (!parsed.ok) throw Errors.invalid(parsed.errors);
    const event = parsed.value;
    const dedupKey = fingerprint([event.user_id, event.event_name, event.first]);
    const { replayed } = await enqueuer.submit({
      requestId: request.id,
      workspace: request.workspace,
      summaries: [event],
      idempotencyKey: clientKey ?? `event:${dedupKey}`,
      // A raw event's identity is its de-duplication key: metadata may differ between repeats.
      fingerprint: clientKey === undefined ? dedupKey : fingerprint(request.body),
    });
    if (replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(202).send();
  });
}
