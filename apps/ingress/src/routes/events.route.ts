import { parseDataEventBody } from '@tally/contracts';
import { userKey } from '@tally/store';
import type { FastifyInstance } from 'fastify';
import type { Enqueuer } from '../enqueue/summary-enqueuer.js';
import { Errors } from '../errors.js';
import { fingerprint, idempotencyKeyOf } from './idempotency.js';

/**
 * `POST /events`: one raw event, named by exactly one of `user_id`, `email` or `id`, counted as
 * a summary of one occurrence and kept with its metadata for the event list. Intercom
 * de-duplicates events by (workspace, user, event name, created_at); Tally does the same through
 * the ledger, unless the client sends its own Idempotency-Key. Answers 202 with an empty body.
 */
export async function eventsRoute(app: FastifyInstance, { enqueuer, now }: { enqueuer: Enqueuer; now: () => number }) {
  app.post('/events', async (request, reply) => {
    const clientKey = idempotencyKeyOf(request);
    const parsed = parseDataEventBody(request.body, Math.floor(now() / 1000));
    if (!parsed.ok) throw Errors.invalid(parsed.errors);
    const { summary: event, metadata } = parsed.value;
    // A user_id keys as itself (keys written before other identities existed stay valid).
    const user = userKey({ kind: event.identity ?? 'user_id', value: event.user_id });
    const dedupKey = fingerprint([user, event.event_name, event.first]);
    const { replayed } = await enqueuer.submit({
      requestId: request.id,
      workspace: request.workspace,
      summaries: [event],
      event: metadata === undefined ? {} : { metadata: JSON.stringify(metadata) },
      idempotencyKey: clientKey ?? `event:${dedupKey}`,
      // A raw event's identity is its de-duplication key: metadata may differ between repeats.
      fingerprint: clientKey === undefined ? dedupKey : fingerprint(request.body),
    });
    if (replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(202).send();
  });
}
