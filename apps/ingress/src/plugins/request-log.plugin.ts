import fp from 'fastify-plugin';

/** Level of the one line each request gets; `silent` turns request lines off. */
export type RequestLogLevel = 'info' | 'debug' | 'trace' | 'silent';

/**
 * One line per answered request: method, route (the pattern, not the raw URL with its user ids),
 * status, latency, request id and workspace, so the `request_id` of an error body can be found in
 * the log. Never a header: the bearer token stays out. At `info` by default (REQUEST_LOG_LEVEL).
 */
export const requestLogPlugin = fp<{ level: RequestLogLevel }>(async (app, { level }) => {
  if (level === 'silent') return;
  app.addHook('onResponse', (request, reply, done) => {
    request.log[level](
      {
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        workspace: request.workspace || undefined,
      },
      'request',
    );
    done();
  });
});
