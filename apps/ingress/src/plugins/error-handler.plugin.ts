import { randomUUID } from 'node:crypto';
import { errorList } from '@tally/contracts';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Errors, HttpError } from '../errors.js';

/** Fastify's own errors that are the client's fault, mapped to Intercom errors. */
function fromFastifyError(error: FastifyError, bodyLimit: number): HttpError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return Errors.invalidJson();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return Errors.notJson();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return Errors.tooLarge(bodyLimit);
    default:
      // SyntaxError from the JSON parser carries statusCode 400 without a code on some paths.
      return error.statusCode === 400 && error instanceof SyntaxError ? Errors.invalidJson() : null;
  }
}

/**
 * One error handler and one not-found handler for the whole app: every error body is Intercom's
 * `error.list` with the request id, every response carries `X-Request-Id`, and a 500 logs an
 * error id instead of leaking a stack (invariant 4).
 */
export const errorHandlerPlugin = fp<{ bodyLimit: number }>(
  async (app: FastifyInstance, { bodyLimit }) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      let http = error instanceof HttpError ? error : fromFastifyError(error, bodyLimit);
      if (http === null) {
        const errorId = randomUUID();
        request.log.error({ err: error, errorId }, 'unhandled error');
        http = Errors.internal(errorId);
      } else if (http.statusCode >= 500) {
        request.log.warn({ code: http.errors[0]?.code, reason: http.message }, 'refused');
      }
      return reply.code(http.statusCode).headers(http.headers).send(errorList(request.id, http.errors));
    });

    app.setNotFoundHandler(async (request, reply) => {
      const http = Errors.notFound(request.method, request.url);
      return reply.code(404).send(errorList(request.id, http.errors));
    });
  },
  { name: 'tally-error-handler' },
);
