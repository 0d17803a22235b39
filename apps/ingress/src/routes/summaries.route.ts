import { fingerprint, parseSummariesBody } from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import { Errors } from '../errors.js';
import { idempotencyKeyOf } from './idempotency.js';

/**
 * `POST /events/summaries`: validate, queue, and answer 200 with an empty body (Intercom's
 * documented response) once the summaries are durable in Redis.
 */
export async function summariesRoute(app: FastifyInstance, { enqueuer, now }: { enqueuer: Enqueuer; now: () => number }) {
  app.post('/events/summaries', async (request, reply) => {
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
