import { z } from 'zod';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** `Idempotency-Key` header: printable ASCII, 1–255 characters. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(IDEMPOTENCY_KEY_MAX_LENGTH)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');
