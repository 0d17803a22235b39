import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';

/**
 * A request that failed its route schema, as Fastify reports one (`FST_ERR_VALIDATION`, status
 * 400, the part in `validationContext`), carrying zod's issues in `validation`. The root error
 * handler turns the issues into Intercom's `error.list` (validation-errors.ts).
 */
export class RouteValidationError extends Error {
  readonly code = 'FST_ERR_VALIDATION';
  readonly statusCode = 400;
  constructor(
    readonly validation: readonly z.core.$ZodIssue[],
    readonly validationContext: string,
  ) {
    super(`${validationContext} is invalid`);
    this.name = 'RouteValidationError';
  }
}

/**
 * Fastify's validator compiler for zod route schemas: each part (body, querystring, headers)
 * is parsed by its schema, and what the handler reads is the schema's output, so a route's
 * handler is typed from, and only ever sees, what its schema accepted.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: new RouteValidationError(result.error.issues, httpPart ?? 'request') };
  };
