import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorList } from '@tally/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { Errors, type HttpError } from '../errors.js';

/** What Node's HTTP parser refused, as the error a client reads. */
function fromClientError(err: NodeJS.ErrnoException): HttpError {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return Errors.badRequest(408, 'The request was not received in time (REQUEST_TIMEOUT_MS / HEADERS_TIMEOUT_MS)');
    case 'HPE_HEADER_OVERFLOW':
      return Errors.badRequest(431, 'The request headers are too large');
    default:
      return Errors.badRequest(400, 'The request is not valid HTTP');
  }
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (bad framing, oversized
 * headers, a request or header deadline passed) never reaches a route, so it is answered here,
 * still as Intercom's `error.list` with a request id in the body and `X-Request-Id`. Logged at
 * debug: any client can cause these at will.
 */
export function clientErrorHandler(log: FastifyBaseLogger) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const requestId = randomUUID();
    const http = fromClientError(err);
    log.debug({ requestId, code: err.code, status: http.statusCode }, 'client error before routing');
    if (socket.writable) {
      const body = JSON.stringify(errorList(requestId, http.errors));
      socket.write(
        `HTTP/1.1 ${http.statusCode} ${STATUS_CODES[http.statusCode]}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
