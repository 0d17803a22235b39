import { z } from 'zod';

/**
 * A boolean variable. Only true/false/1/0 are accepted: `z.coerce.boolean()` would read the
 * string "false" as true.
 */
export function envBoolean(defaultValue: boolean) {
  return z
    .enum(['true', 'false', '1', '0', 'TRUE', 'FALSE'])
    .optional()
    .transform((v) => (v === undefined ? defaultValue : v === 'true' || v === 'TRUE' || v === '1'));
}

/** An integer variable within [min, max]. */
export function envInt(defaultValue: number, min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .regex(/^-?\d+$/, 'must be an integer')
    .optional()
    .transform((v) => (v === undefined ? defaultValue : Number(v)))
    .pipe(z.number().int().min(min).max(max));
}
