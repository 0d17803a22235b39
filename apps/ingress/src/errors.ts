import { clip, type IntercomError, quoted } from '@tally/contracts';
import type { Refusal } from './metrics/ingress-metrics.js';

/**
 * An error the ingress answers with: HTTP status plus Intercom `error.list` entries. Thrown
 * anywhere in a request; the root error handler turns it into the response.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errors: IntercomError[],
    readonly headers: Record<string, string> = {},
    /** Which refusal family this is, where the status alone does not say (the 503s). */
    readonly refusal?: Refusal,
  ) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'HttpError';
  }
}

/** The ingress's coded errors, in one place (fastify's FST_ERR_* style). */
export const Errors = {
  unauthorized: () => new HttpError(401, [{ code: 'unauthorized', message: 'Access Token Invalid' }]),
  invalid: (errors: IntercomError[]) => new HttpError(400, errors),
  /** A repeat of a keyed request refused by the clock's rule: refused again, as it was then. */
  invalidAsBefore: (errors: IntercomError[]) => new HttpError(400, errors, { 'idempotent-replayed': 'true' }),
  invalidJson: () => new HttpError(400, [{ code: 'parameter_invalid', message: 'Request body is not valid JSON' }]),
  notJson: () => new HttpError(400, [{ code: 'parameter_invalid', message: 'Content-Type must be application/json' }]),
  unsupportedCharset: (charset: string) =>
    new HttpError(415, [
      { code: 'unsupported_media_type', field: 'Content-Type', message: `charset ${quoted(charset)} is not supported: send JSON as UTF-8` },
    ]),
  /** A request Fastify or Node refused before any route ran (bad framing, bad URL, oversized headers). */
  badRequest: (statusCode: number, message: string) => new HttpError(statusCode, [{ code: 'bad_request', message }]),
  tooLarge: (limit: number) => new HttpError(413, [{ code: 'request_too_large', message: `Request body is larger than ${limit} bytes` }]),
  unsupportedEncoding: (encoding: string, accepted: readonly string[]) =>
    new HttpError(415, [
      {
        code: 'unsupported_content_encoding',
        field: 'Content-Encoding',
        message: `Content-Encoding ${JSON.stringify(encoding)} is not supported (use ${accepted.join(', ')} or none)`,
      },
    ]),
  badEncoding: (encoding: string) =>
    new HttpError(400, [{ code: 'parameter_invalid', field: 'Content-Encoding', message: `Request body is not valid ${encoding} data` }]),
  idempotencyKeyReused: () =>
    new HttpError(422, [
      {
        code: 'idempotency_key_reused',
        field: 'Idempotency-Key',
        message: 'This Idempotency-Key was already used with a different request body',
      },
    ]),
  rateLimited: (perMinute: number, retryAfterSeconds: number) =>
    new HttpError(
      429,
      [{ code: 'rate_limit_exceeded', message: `Exceeded rate limit of ${perMinute} per minute (spread over 10-second windows)` }],
      { 'retry-after': String(retryAfterSeconds) },
    ),
  notFound: (method: string, url: string) =>
    new HttpError(404, [{ code: 'not_found', message: `No route for ${method} ${clip(url.split('?')[0] ?? '', 100)}` }]),
  /** IETF Idempotency-Key draft: the first request with this key is still on its way into a job. */
  idempotencyKeyInFlight: (retryAfterSeconds: number) =>
    new HttpError(
      409,
      [
        {
          code: 'idempotency_key_in_flight',
          field: 'Idempotency-Key',
          message: 'A request with this Idempotency-Key is still being processed; retry after a moment',
        },
      ],
      { 'retry-after': String(retryAfterSeconds) },
    ),
  unavailable: (reason: string, retryAfterSeconds: number, refusal: Refusal) =>
    new HttpError(503, [{ code: 'service_unavailable', message: reason }], { 'retry-after': String(retryAfterSeconds) }, refusal),
  /** One workspace holds more than its share of the backlog: its own requests wait, others' do not. */
  workspaceBacklog: (retryAfterSeconds: number) =>
    new HttpError(
      429,
      [{ code: 'rate_limit_exceeded', message: "This workspace's queued summaries are over its share; retry later" }],
      { 'retry-after': String(retryAfterSeconds) },
      'backlog',
    ),
  internal: (errorId: string) => new HttpError(500, [{ code: 'server_error', message: `Internal error; reference ${errorId}` }]),
};
