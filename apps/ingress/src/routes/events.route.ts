import { eventDedupKey, parseDataEventBody } from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import { Errors } from '../errors.js';
import { idempotencyKeyOf } from './idempotency.js';

/**
 * `POST /events`: one raw event, named by exactly one of `user_id`, `email` or `id`, counted as
 * a summary of one occurrence and kept with its metadata for the event list. Intercom
 * de-duplicates events by (workspace, user, event name, created_at); Tally does the same, in a
 * namespace of its own, whether or not the client also sends an Idempotency-Key. Answers 202
 * with an empty body.
 */
export async function eventsRoute(app: FastifyInstance, { enqueuer, now }: { enqueuer: Enqueuer; now: () => number }) {
  app.post('/events', async (request, reply) => {
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
