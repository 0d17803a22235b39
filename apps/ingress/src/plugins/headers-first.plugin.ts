import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

type CompiledValidator = (input: unknown) => { value?: unknown; error?: Error };

/**
 * Validates a request's headers by its route schema on onRequest, before the body is read:
 * an unpublished `Intercom-Version` or a malformed `Idempotency-Key` costs no decompression and
 * no JSON parsing, and is refused even when the body is bad too. Fastify's own validation
 * comes after the body and checks the headers last; it runs the same schema again (a few string
 * checks), which keeps the handler's view of the headers the schema's.
 */
export const headersFirstPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', (request, _reply, done) => {
      const validate = request.getValidationFunction('headers') as unknown as CompiledValidator | undefined;
      const result = validate?.(request.headers);
      done(result?.error);
    });
  },
  { name: 'tally-headers-first' },
);
