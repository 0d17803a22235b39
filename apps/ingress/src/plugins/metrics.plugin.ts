import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.js';
import type { IngressMetrics, Refusal } from '../metrics/ingress-metrics.js';

/** The refusal family of an error the ingress answers with; null for a 500 or a 404. */
export function refusalOf(error: FastifyError | HttpError): Refusal | null {
  if (error instanceof HttpError && error.refusal !== undefined) return error.refusal;
  const status = error.statusCode ?? 500;
  if (status === 401) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status >= 400 && status < 500 && status !== 404) return 'validation';
  return null;
}

/**
 * Counts every answer by route pattern and status, times it, and counts refusals by reason. Runs
 * on onResponse (after the answer is sent), so the client never waits for it.
 */
export const metricsPlugin = fp<{ metrics: IngressMetrics }>(
  async (app: FastifyInstance, { metrics }) => {
    app.addHook('onError', (_request, _reply, error, done) => {
      const refusal = refusalOf(error);
      if (refusal !== null) metrics.refused(refusal);
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  },
  { name: 'tally-metrics' },
);
