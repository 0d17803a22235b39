import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Errors } from '../errors.js';

/** The encodings SDKs send (Segment, PostHog and RudderStack gzip their batches). */
const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The names a 415 lists, in the order a client would try them. */
export const ACCEPTED_ENCODINGS = ['gzip', 'deflate', 'br'] as const;

/**
 * Passes decoded bytes through and fails the stream once they exceed `limit`: the body limit
 * applies to what the body decompresses to, as it arrives, so a small gzip of zeros that would
 * expand to gigabytes is refused after `limit` bytes, never held in memory.
 */
class DecodedLimit extends Transform {
  /** Compressed bytes received; Fastify compares it with Content-Length. */
  receivedEncodedLength = 0;
  private decoded = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.decoded += chunk.length;
    if (this.decoded > this.limit) callback(Errors.tooLarge(this.limit));
    else callback(null, chunk);
  }
}

/**
 * `Content-Encoding: gzip | deflate | br` bodies are decoded on preParsing, before any content
 * type parser runs, so every parser (JSON or other) reads plain bytes; an unknown encoding is a
 * 415. Auth runs earlier (onRequest), so nobody without a token gets a decompressor.
 */
export const contentEncodingPlugin = fp<{ bodyLimit: number }>(
  async (app: FastifyInstance, { bodyLimit }) => {
    app.addHook('preParsing', (request, _reply, payload, done) => {
      const header = request.headers['content-encoding'];
      if (header === undefined) return done(null, payload);
      const encoding = header.trim().toLowerCase();
      if (encoding === '' || encoding === 'identity') return done(null, payload);
      const decoder = DECODERS[encoding];
      if (!decoder) return done(Errors.unsupportedEncoding(header, ACCEPTED_ENCODINGS));
      const source = payload as Readable;
      const decoding = decoder();
      const limited = new DecodedLimit(bodyLimit);
      source.on('data', (chunk: Buffer) => {
        limited.receivedEncodedLength += chunk.length;
      });
      // Corrupt data is the client's fault (400); a dropped connection ends the body with its error.
      decoding.once('error', () => limited.destroy(Errors.badEncoding(encoding)));
      source.once('error', (err) => limited.destroy(err));
      // Once the body is refused (over the limit) or read, nothing more is decompressed.
      limited.once('close', () => {
        source.unpipe(decoding);
        decoding.destroy();
      });
      source.pipe(decoding).pipe(limited);
      done(null, limited);
    });
  },
  { name: 'tally-content-encoding' },
);
