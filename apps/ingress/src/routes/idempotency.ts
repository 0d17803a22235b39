import { idempotencyKeySchema } from '@tally/contracts';
import type { FastifyRequest } from 'fastify';
import { Errors } from '../errors.js';

/** The request's `Idempotency-Key`, validated; undefined when absent. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(Array.isArray(raw) ? raw.join(',') : raw);
  if (!parsed.success) {
    throw Errors.invalid([
      {
        code: 'parameter_invalid',
        field: 'Idempotency-Key',
        message: `Idempotency-Key: ${parsed.error.issues[0]?.message ?? 'invalid'} (1–255 printable characters)`,
      },
    ]);
  }
  return parsed.data;
}
