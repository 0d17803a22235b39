import { parseJsonBody } from '@tally/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Errors } from '../errors.js';

/** The `charset` parameter of a Content-Type, lower-cased, or undefined when there is none. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i.exec(contentType ?? '');
  return match?.[2]?.toLowerCase();
}

/**
 * Replaces Fastify's JSON parser with one that reads the raw bytes: invalid UTF-8 is refused
 * (Fastify's parser decodes leniently, rewriting it to U+FFFD, so different user ids would read
 * as one), and so are nesting past the limit and lone surrogate escapes (contracts' json-body.ts).
 * A `charset` other than UTF-8 is 415: JSON is UTF-8 (RFC 8259 §8.1), the body's declared
 * encoding is the part of its media type Tally does not support, and decoding it as UTF-8 anyway
 * would store what the client did not send.
 */
export const jsonBodyPlugin = fp(
  async (app: FastifyInstance) => {
    app.removeContentTypeParser(['application/json']);
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
      const charset = charsetOf(request.headers['content-type']);
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return done(Errors.unsupportedCharset(charset), undefined);
      const parsed = parseJsonBody(body);
      if (!parsed.ok) return done(Errors.invalid([parsed.error]), undefined);
      done(null, parsed.value);
    });
  },
  { name: 'tally-json-body' },
);
