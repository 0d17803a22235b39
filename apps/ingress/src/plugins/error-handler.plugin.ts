import { randomUUID } from 'node:crypto';
import { clip, errorList } from '@tally/contracts';
import { RateLimitedLog } from '@tally/logger';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Errors, HttpError } from '../errors.js';
import { validationErrors } from '../validation/validation-errors.js';

/** Fastify's own errors that are the client's fault, mapped to Intercom errors. */
export function fromFastifyError(error: FastifyError, bodyLimit: number): HttpError | null {
  switch (error.code) {
    // A route schema refused the body, query or headers: the fields are named as the rules state them.
    case 'FST_ERR_VALIDATION':
      return Errors.invalid(validationErrors(error));
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
      if (error.statusCode === 400 && error instanceof SyntaxError) return Errors.invalidJson();
      // Any other FST_ERR_* a client caused (a bad URL, a bad header): its own status, a bounded message.
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return Errors.badRequest(error.statusCode, clip(error.message, 200));
      }
      return null;
  }
}

/** The client went away mid-request: nothing to answer, nothing worth a warning. */
function clientAborted(request: FastifyRequest): boolean {
  return request.raw.destroyed || request.raw.socket?.destroyed === true;
}

/**
 * One error handler and one not-found handler for the whole app: every error body is Intercom's
 * `error.list` with the request id, every response carries `X-Request-Id`, and a 500 logs an
 * error id instead of leaking a stack (invariant 4). Nothing a client can cause at will is
 * logged above info, and repeated warnings and errors are rate-limited, so a flood of bad
 * requests cannot flood the log.
 */
export const errorHandlerPlugin = fp<{ bodyLimit: number }>(
  async (app: FastifyInstance, { bodyLimit }) => {
    const rareLog = new RateLimitedLog(app.log);
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      done();
    });

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      let http = error instanceof HttpError ? error : fromFastifyError(error, bodyLimit);
      if (http === null && clientAborted(request)) {
        request.log.debug({ code: error.code }, 'client aborted the request');
        http = Errors.badRequest(400, 'The request was aborted');
      } else if (http === null) {
        const errorId = randomUUID();
        request.log.debug({ errorId, errName: error.name, errMessage: clip(error.message, 200) }, 'unhandled error');
        rareLog.error(`unhandled:${error.name}:${error.code ?? ''}`, { err: error, errorId }, 'unhandled error');
        http = Errors.internal(errorId);
      } else if (http.statusCode >= 500) {
        rareLog.warn(`refused:${http.errors[0]?.code}`, { code: http.errors[0]?.code, reason: http.message }, 'refused');
      } else {
        request.log.debug({ status: http.statusCode, code: http.errors[0]?.code }, 'client error');
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
