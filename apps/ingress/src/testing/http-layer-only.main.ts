/**
 * A measuring instrument, not a service: the ingress's whole HTTP layer (`buildApp`: the request
 * id, auth with TALLY_TOKENS, header and body validation, the JSON parser, metrics and the
 * request line, the error handler) with an enqueuer that accepts every request at once and
 * reaches no Redis. Run side by side with the real ingress, it splits the CPU per request
 * between the HTTP layer and the queueing behind it (test/src/tools/ingress-ab.ts):
 *
 *   npm run build && node --conditions=tally-source --import tsx test/src/tools/ingress-ab.ts \
 *     'real=apps/ingress/dist/main.js' 'http-only=apps/ingress/dist/testing/http-layer-only.main.js'
 *
 * It reads the ingress's configuration (TALLY_TOKENS, REQUEST_LOG_LEVEL, HEAP_GROWING_PERCENT,
 * body limit) and ignores its Redis and MongoDB settings.
 */
import { acceptingApp, instrumentSetup, serve } from './http-instrument.js';

const instrument = instrumentSetup('http-layer-only');
await serve(await acceptingApp(instrument), instrument);
