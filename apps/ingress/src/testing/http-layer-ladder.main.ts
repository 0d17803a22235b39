/**
 * A measuring instrument, not a service: the ingress's HTTP layer built up one rung at a time
 * (`LADDER_RUNG`, 0–5), so side by side (test/src/tools/ingress-ab.ts) the CPU each part adds
 * to a request can be read off as the difference between two rungs:
 *
 *   0  bare Fastify: the route answers 200, nothing else (what the bench's baseline does)
 *   1  + Tally's logger as Fastify's, a request id per request (a child logger each), the
 *        server's time and connection limits
 *   2  + the request line (REQUEST_LOG_LEVEL)
 *   3  + the strict JSON parser and auth (TALLY_TOKENS)
 *   4  + the header checks before the body, Content-Encoding, the zod validator compiler, the
 *        error handler and the OpenAPI plugin; the route still validates no body
 *   5  `buildApp` itself, as http-layer-only.main.ts runs it: the body's validation, the real
 *        handler and an enqueuer that accepts at once
 *
 * Rungs 0–4 register the ingress's own plugins in `buildApp`'s order; rung 5 is `buildApp`, so
 * the top of the ladder is the ingress's HTTP layer exactly. Every rung answers /readyz.
 *
 *   npm run build && node --conditions=tally-source --import tsx test/src/tools/ingress-ab.ts --connections 64 \
 *     'r0=apps/ingress/dist/testing/http-layer-ladder.main.js LADDER_RUNG=0' … 'r5=… LADDER_RUNG=5'
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { loggingOptions } from '../app.js';
import { httpLimitOptions } from '../http-limits.js';
import { authPlugin } from '../plugins/auth.plugin.js';
import { contentEncodingPlugin } from '../plugins/content-encoding.plugin.js';
import { errorHandlerPlugin } from '../plugins/error-handler.plugin.js';
import { headersFirstPlugin } from '../plugins/headers-first.plugin.js';
import { jsonBodyPlugin } from '../plugins/json-body.plugin.js';
import { openApiPlugin } from '../plugins/openapi.plugin.js';
import { requestLogPlugin } from '../plugins/request-log.plugin.js';
import { zodValidatorCompiler } from '../validation/zod-validator-compiler.js';
import { acceptingApp, instrumentSetup, serve } from './http-instrument.js';

const rung = Number(process.env.LADDER_RUNG ?? '5');
if (!Number.isInteger(rung) || rung < 0 || rung > 5) {
  console.error(`LADDER_RUNG must be 0–5 (got ${process.env.LADDER_RUNG})`);
  process.exit(2);
}
const instrument = instrumentSetup('http-layer-ladder');
const { config, logger, tokens } = instrument;

async function partialApp(): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: config.BODY_LIMIT_BYTES,
    ...(rung >= 1 ? { ...loggingOptions(logger), ...httpLimitOptions(config) } : { logger: false }),
  });
  if (rung >= 4) {
    app.setValidatorCompiler(zodValidatorCompiler);
    await app.register(errorHandlerPlugin, { bodyLimit: config.BODY_LIMIT_BYTES });
    await app.register(openApiPlugin);
  }
  if (rung >= 2) await app.register(requestLogPlugin, { level: config.REQUEST_LOG_LEVEL });
  if (rung >= 3) await app.register(jsonBodyPlugin);
  app.get('/readyz', async () => ({ ready: true }));
  await app.register(async (api) => {
    if (rung >= 3) await api.register(authPlugin, { tokens, retryAfterSeconds: config.RETRY_AFTER_SECONDS });
    if (rung >= 4) {
      await api.register(headersFirstPlugin);
      await api.register(contentEncodingPlugin, { bodyLimit: config.BODY_LIMIT_BYTES });
    }
    api.post('/events/summaries', async (_request, reply) => reply.code(200).send());
  });
  return app;
}

await serve(rung === 5 ? await acceptingApp(instrument) : await partialApp(), instrument, { rung });
