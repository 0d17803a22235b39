import fp from 'fastify-plugin';

/**
 * Level of the one line each request gets; `silent` turns request lines off; `errors` writes
 * the lines of refused and failed requests (status 400 and up) at `info` and the rest at `debug`.
 */
export type RequestLogLevel = 'info' | 'debug' | 'trace' | 'silent' | 'errors';

/**
 * One line per answered request: method, route (the pattern, not the raw URL with its user ids),
 * status, latency, request id and workspace, so the `request_id` of an error body can be found in
 * the log. Never a header: the bearer token stays out. At `info` by default (REQUEST_LOG_LEVEL).
 * With `errors`, a busy replica pays for the lines of the requests someone may come asking about
 * (a refusal's `request_id`), not for every 200.
 */
export const requestLogPlugin = fp<{ level: RequestLogLevel }>(async (app, { level }) => {
  if (level === 'silent') return;
  app.addHook('onResponse', (request, reply, done) => {
    request.log[level === 'errors' ? (reply.statusCode >= 400 ? 'info' : 'debug') : level](
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
