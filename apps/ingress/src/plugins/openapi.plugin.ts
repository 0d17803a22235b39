import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * Collects the routes' zod schemas into an OpenAPI 3.1 document (`app.swagger()`), so the
 * document is generated from the same schemas the routes declare.
 *
 * The schemas document the routes; they do not validate them yet: the handlers still validate
 * through the contracts' `parse*` functions, which turn zod issues into Intercom's `error.list`
 * with the field named. Until Fastify's validation errors are mapped the same way, the compilers
 * below pass values through untouched (replace them with fastify-type-provider-zod's
 * `validatorCompiler` and `serializerCompiler` to switch).
 */
export const openApiPlugin = fp(
  async (app: FastifyInstance) => {
    app.setValidatorCompiler(() => (value) => ({ value }));
    app.setSerializerCompiler(() => (value) => JSON.stringify(value));
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Tally (Intercom Data Events compatible)',
          version: '2.16',
          description: "Intercom's Data Events API for event summaries, self-hosted. Authenticate with `Authorization: Bearer <token>`.",
        },
        components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearerAuth: [] }],
      },
      transform: jsonSchemaTransform,
    });
  },
  { name: 'tally-openapi' },
);
