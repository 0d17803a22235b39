import {
  type CanonicalSummaries,
  idempotencyKeyHeaderSchema,
  intercomVersionHeaderSchema,
  parseSummariesBody,
  rejudgeRefusedSummaries,
  type Summary,
  summariesFingerprint,
  summariesRequestSchema,
} from '@tally/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
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
    let accepted: { summaries: Summary[]; canonical: CanonicalSummaries; input: unknown } = request.body;
    if (request.validationError !== undefined) {
      // The headers were validated before the body was read (headers-first): this is the body's refusal.
      if (idempotencyKey === undefined) throw request.validationError;
      const input: unknown = request.body;
      const at = nowSeconds();
      const judged = rejudgeRefusedSummaries(input, at);
      if (judged.ok) {
        // The clock passed the request's timestamps since it was validated: accepted after all.
        accepted = { summaries: judged.value, canonical: judged.canonical, input };
      } else {
        const { errors, fingerprint, byClock } = judged;
        const outcome = await enqueuer.keyedRefusal({ workspace: request.workspace, key: idempotencyKey, fingerprint, at, byClock });
        if (outcome.replayed) return answer(reply, outcome, input);
        throw byClock ? Errors.invalid(errors) : request.validationError;
      }
    }
    const { summaries, canonical, input } = accepted;
    const outcome = await enqueuer.submit({
      requestId: request.id,
      workspace: request.workspace,
      summaries,
      // The fingerprint is taken on the validated, canonical request: key order and unknown fields do not count.
      ...(idempotencyKey !== undefined ? { clientKey: { key: idempotencyKey, fingerprint: summariesFingerprint(canonical) } } : {}),
    });
    return answer(reply, outcome, input);
  });
}

/**
 * 200, replayed or not; or, for a key that remembers a refusal by the clock, the refusal again:
 * this very body judged at the clock the first request was judged at.
 */
function answer(reply: FastifyReply, { replayed, refusedAt }: Outcome, input: unknown) {
  if (refusedAt !== undefined) {
    const again = parseSummariesBody(input, refusedAt);
    // The same body at the same clock: refused again by construction.
    if (again.ok) throw new Error(`a request remembered as refused at ${refusedAt} was accepted when judged again`);
    throw Errors.invalidAsBefore(again.errors);
  }
  if (replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(200).send();
}
