import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * Collects the routes' zod schemas into an OpenAPI 3.1 document (`app.swagger()`): the document
 * is generated from the very schemas the routes validate with (app.ts sets the validator
 * compiler). Responses are serialized as the handlers build them, typed by the contracts, so
 * the serializer compiler only stringifies.
 */
export const openApiPlugin = fp(
  async (app: FastifyInstance) => {
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
