import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';

/** Where the API documentation is served; the document itself is at `${API_DOCS_PATH}/json`. */
export const API_DOCS_PATH = '/admin/api-docs';

/**
 * The ingress's OpenAPI document (generated from its route schemas) with Swagger UI, on the
 * admin port: the public API port serves only the API. An encapsulated plugin, so its static
 * files and routes stay apart from Bull Board's.
 */
export async function apiDocsPlugin(app: FastifyInstance, { document }: { document: OpenAPIV3_1.Document }) {
  // @fastify/swagger's static-mode types stop at OpenAPI 3.0; the 3.1 document is served as is.
  await app.register(fastifySwagger, { mode: 'static', specification: { document: document as unknown as OpenAPIV3.Document } });
  await app.register(fastifySwaggerUi, { routePrefix: API_DOCS_PATH });
}
