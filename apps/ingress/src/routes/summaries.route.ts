import {
  type CanonicalSummaries,
  idempotencyKeyHeaderSchema,
  intercomVersionHeaderSchema,
  parseSummariesBody,
  rejudgeRefusedSummaries,
  type Summary,
  sentAsBatch,
  summariesFingerprint,
  summariesRequestSchema,
} from '@tally/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Enqueuer, Outcome } from '../enqueue/summary-enqueuer.js';
import { Errors } from '../errors.js';
import { emptyBody, errorResponses } from './response-schemas.js';

/**
 * `POST /events/summaries`: validated by its route schema (every rule in the contracts), queued,
 * and answered 200 with an empty body (Intercom's documented response) once the summaries are
 * durable in Redis.
 *
 * A request with an Idempotency-Key that is refused because a timestamp is more than a day
 * ahead leaves its key remembering the refusal (see rejudgeRefusedSummaries): a repeat of it is
 * refused the same way even once the clock has caught up, so lines a client resent without the
 * refused ones under another key are never counted a second time through the whole request.
 */
export async function summariesRoute(app: FastifyInstance, { enqueuer, now }: { enqueuer: Enqueuer; now: () => number }) {
  const nowSeconds = () => Math.floor(now() / 1000);
  const schema = {
    summary: 'Create event summaries',
    operationId: 'dataEventSummaries',
    tags: ['Data Events'],
    headers: z.object({
      'intercom-version': intercomVersionHeaderSchema.optional(),
      'idempotency-key': idempotencyKeyHeaderSchema.optional(),
    }),
    // Missing first/last default to the time of receipt, and "at most a day ahead" needs the clock.
    body: summariesRequestSchema(nowSeconds),
    response: { 200: emptyBody, ...errorResponses(400, 401, 413, 415, 422, 429, 503) },
  };
  // A refused body reaches the handler too (attachValidation): its key may have to remember the refusal.
  app.withTypeProvider<ZodTypeProvider>().post('/events/summaries', { schema, attachValidation: true }, async (request, reply) => {
    const idempotencyKey = request.headers['idempotency-key'];
    if (request.validationError === undefined) return accept(enqueuer, request, reply, idempotencyKey, request.body);
    // Headers are validated before the body is read (headers-first): a refusal here is the body's.
    if (idempotencyKey === undefined || request.validationError.validationContext !== 'body') throw request.validationError;
    const input: unknown = request.body;
    const at = nowSeconds();
    const judged = rejudgeRefusedSummaries(input, at);
    if (judged.ok) {
      // The clock passed the request's timestamps since it was validated: accepted after all.
      const accepted = { summaries: judged.value, canonical: judged.canonical, single: !sentAsBatch(input) };
      return accept(enqueuer, request, reply, idempotencyKey, accepted);
    }
    const { errors, fingerprint, byClock } = judged;
    const outcome = await enqueuer.keyedRefusal({ workspace: request.workspace, key: idempotencyKey, fingerprint, at, byClock });
    if (outcome.replayed) return answer(reply, outcome, input);
    throw byClock ? Errors.invalid(errors) : request.validationError;
  });
}

/** A request its schema accepted: queued, then answered (see {@link answer}). */
async function accept(
  enqueuer: Enqueuer,
  request: FastifyRequest,
  reply: FastifyReply,
  idempotencyKey: string | undefined,
  { summaries, canonical, single }: { summaries: Summary[]; canonical: CanonicalSummaries; single: boolean },
) {
  const outcome = await enqueuer.submit({
    requestId: request.id,
    workspace: request.workspace,
    summaries,
    // The fingerprint is taken on the validated, canonical request: key order and unknown fields do not count.
    ...(idempotencyKey !== undefined ? { clientKey: { key: idempotencyKey, fingerprint: summariesFingerprint(canonical) } } : {}),
  });
  // Judged again only for a key remembering a refusal: the canonical request in the form it was sent
  // in, which names fields as the body did (the rules read no field the canonical form drops).
  return answer(reply, outcome, single ? { user_id: canonical.user_id, event_summaries: canonical.event_summaries[0] } : canonical);
}

/**
 * 200, replayed or not; or, for a key that remembers a refusal by the clock, the refusal again:
 * this very body judged at the clock the first request was judged at.
 */
function answer(reply: FastifyReply, { replayed, refusedAt }: Outcome, body: unknown) {
  if (refusedAt !== undefined) {
    const again = parseSummariesBody(body, refusedAt);
    // The same body at the same clock: refused again by construction.
    if (again.ok) throw new Error(`a request remembered as refused at ${refusedAt} was accepted when judged again`);
    throw Errors.invalidAsBefore(again.errors);
  }
  if (replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(200).send();
}
