import { createLogger } from '@tally/logger';
import type { OpenAPIV3_1 } from 'openapi-types';
import { buildApp } from '../app.js';

/**
 * The ingress's OpenAPI 3.1 document, generated from its route schemas. Builds the app with
 * inert dependencies (nothing listens, nothing connects), so the admin and tests can have the
 * document without running an ingress.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIV3_1.Document> {
  const refuse = () => Promise.reject(new Error('documentation only'));
  const app = await buildApp({
    logger: createLogger({ name: 'openapi', level: 'silent' }),
    tokens: { workspaceFor: () => null, authoritative: () => true },
    enqueuer: {
      submit: refuse,
      keyedRefusal: refuse,
      readiness: () => ({ ready: false, backlog: { jobs: 0, summaries: 0, redisMemoryRatio: 0 } }),
      drain: async () => undefined,
    },
    summaries: { findByUser: refuse },
    events: { list: refuse },
    eventsRetentionSeconds: 90 * 24 * 3600,
    bodyLimit: 1024 * 1024,
    retryAfterSeconds: 1,
  });
  await app.ready();
  const document = app.swagger() as OpenAPIV3_1.Document;
  await app.close();
  return document;
}
