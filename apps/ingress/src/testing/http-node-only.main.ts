/**
 * A measuring instrument, not a service: the work the ingress must do for a request of
 * `POST /events/summaries` (the bearer token looked up in the same token cache, the strict JSON
 * parser, the body's rules against the clock, a request id, the request line, an enqueuer that
 * accepts at once) on `node:http` alone, with no Fastify. Side by side with the ladder's rung 0
 * (bare Fastify, test/src/tools/ingress-ab.ts) it says how far from bare Fastify that work leaves
 * a server that pays nothing else: what is left of the 0.8× target once Fastify's per-request
 * pipeline is out of the way.
 *
 *   NODE_ONLY_WORK=0          read the body and answer 200, nothing else (node:http's own cost)
 *   NODE_ONLY_REQUEST_LINE=0  the work without the request line
 *
 * It answers only what it measures: 200, 401 (unknown token), 400 (the body's JSON or rules,
 * the first error), 413 (over BODY_LIMIT_BYTES) and 404, each with an `error.list` body and
 * `X-Request-Id`; nothing else of the ingress (Intercom-Version, Idempotency-Key,
 * Content-Encoding, rate limits, the server's time limits) is here.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reachableUrl } from '@tally/config';
import { errorList, type IntercomError, parseJsonBody, parseSummariesBody } from '@tally/contracts';
import { flushLogs } from '@tally/logger';
import { acceptingDeps } from './accepting-deps.js';
import { instrumentSetup } from './http-instrument.js';

const { config, logger, tokens } = instrumentSetup('http-node-only');
const work = process.env.NODE_ONLY_WORK !== '0';
const requestLine = work && process.env.NODE_ONLY_REQUEST_LINE !== '0';
const { enqueuer } = acceptingDeps;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

function refuse(res: ServerResponse, requestId: string, status: number, errors: IntercomError[]): void {
  const body = JSON.stringify(errorList(requestId, errors));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}

const server = createServer({ keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
  const started = performance.now();
  const requestId = randomUUID();
  if (req.method === 'GET' && req.url === '/readyz') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end('{"ready":true}');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/events/summaries') {
    refuse(res, requestId, 404, [{ code: 'not_found', message: 'Not found' }]);
    return;
  }
  const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
  const workspace = !work ? '' : token === undefined ? null : tokens.workspaceFor(token);
  if (workspace === null) {
    refuse(res, requestId, 401, [{ code: 'unauthorized', message: 'Access Token Invalid' }]);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= config.BODY_LIMIT_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > config.BODY_LIMIT_BYTES) {
      refuse(res, requestId, 413, [{ code: 'request_too_large', message: `The body is over ${config.BODY_LIMIT_BYTES} bytes` }]);
      return;
    }
    if (!work) {
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      return;
    }
    const parsed = parseJsonBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    if (!parsed.ok) {
      refuse(res, requestId, 400, [parsed.error]);
      return;
    }
    const judged = parseSummariesBody(parsed.value, Math.floor(Date.now() / 1000));
    if (!judged.ok) {
      refuse(res, requestId, 400, judged.errors.slice(0, 1));
      return;
    }
    void enqueuer.submit({ requestId, workspace, summaries: judged.value }).then(() => {
      res.writeHead(200, { 'content-length': 0, 'x-request-id': requestId });
      res.end();
      if (requestLine) {
        const ms = Math.round((performance.now() - started) * 10) / 10;
        logger.info({ requestId, method: 'POST', route: '/events/summaries', status: 200, ms, workspace }, 'request');
      }
    });
  });
});

server.listen(config.PORT, config.HOST, () => {
  const { port } = server.address() as AddressInfo;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  logger.info({ url: reachableUrl(`http://${host}:${port}`), work, requestLine }, 'ingress listening');
  flushLogs(logger);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
