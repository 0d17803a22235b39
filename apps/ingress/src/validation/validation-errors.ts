import { clip, type IntercomError, intercomErrorsOf } from '@tally/contracts';
import type { FastifyError } from 'fastify';
import { RouteValidationError } from './zod-validator-compiler.js';

/** The field a JSON Schema (Ajv) error points at: `/event_summaries/0/count` → `event_summaries[0].count`. */
function fieldOf(instancePath: string | undefined, context: string | undefined): string | undefined {
  const parts = (instancePath ?? '').split('/').filter(Boolean);
  if (parts.length === 0) return context === 'body' ? 'body' : undefined;
  return parts.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : `${i === 0 ? '' : '.'}${part}`)).join('');
}

/**
 * Fastify's validation failure (`FST_ERR_VALIDATION`) as Intercom errors. The routes' zod
 * schemas carry the exact errors their rules state (field, code, message); a JSON Schema a
 * plugin may declare is mapped field by field, its message clipped.
 */
export function validationErrors(error: FastifyError): IntercomError[] {
  if (error instanceof RouteValidationError) return intercomErrorsOf(error.validation);
  const context = (error as { validationContext?: string }).validationContext;
  const errors = (error.validation ?? []).map((entry): IntercomError => {
    const field = fieldOf(entry.instancePath, context);
    return {
      code: 'parameter_invalid',
      message: clip(`${field ?? context ?? 'request'} ${entry.message ?? 'is invalid'}`, 200),
      ...(field ? { field } : {}),
    };
  });
  return errors.length > 0 ? errors : [{ code: 'parameter_invalid', message: clip(error.message, 200) }];
}
