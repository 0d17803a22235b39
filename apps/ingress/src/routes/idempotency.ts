import { createHash } from 'node:crypto';
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

/** Fingerprint of what a request asks for, to tell a replay from a key reused for other data. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}
