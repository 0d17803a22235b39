import type { MessageHeader } from './opcodes.js';
import { HEADER_SIZE, MAX_MESSAGE_SIZE_BYTES } from './opcodes.js';

/** A complete message cut out of the TCP stream: its header and the bytes after the header. */
export interface FramedMessage {
  header: MessageHeader;
  body: Buffer;
}

/** Why the framer gave up on a stream: the connection cannot be resynchronised after this. */
export class FramingError extends Error {
  constructor(
    message: string,
    /** Header of the offending message when it was readable, so the error can be answered. */
    readonly header: MessageHeader | null,
  ) {
    super(message);
  }
}

/**
 * Reassembles wire messages from TCP chunks. A message may arrive split across any number of
 * chunks, and one chunk may hold several messages. The declared length is checked before any
 * body is buffered, so a 2 GB length costs nothing but the 16 header bytes.
 */
export class MessageFramer {
  #chunks: Buffer[] = [];
  #buffered = 0;

  /** Adds a chunk and returns every message it completed. Throws FramingError on a bad length. */
  push(chunk: Buffer): FramedMessage[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const out: FramedMessage[] = [];
    for (;;) {
      if (this.#buffered < 4) return out;
      const head = this.#peek(Math.min(this.#buffered, HEADER_SIZE));
      const length = head.readInt32LE(0);
      const header = head.length >= HEADER_SIZE ? readHeader(head) : null;
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE_BYTES) {
        // mongod's transport layer wording; the stream cannot be trusted past this point.
        throw new FramingError(`recv(): message msgLen ${length} is invalid. Min ${HEADER_SIZE} Max: ${MAX_MESSAGE_SIZE_BYTES}`, header);
      }
      if (this.#buffered < length || header === null) return out;
      const whole = this.#take(length);
      out.push({ header, body: whole.subarray(HEADER_SIZE) });
    }
  }

  /** Bytes received but not yet part of a complete message. */
  get pendingBytes(): number {
    return this.#buffered;
  }

  #peek(n: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    if (first.length >= n) return first.subarray(0, n);
    this.#chunks = [Buffer.concat(this.#chunks)];
    return (this.#chunks[0] as Buffer).subarray(0, n);
  }

  #take(n: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    let whole: Buffer;
    if (first.length >= n) {
      whole = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.#chunks);
      whole = all.subarray(0, n);
      this.#chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.#buffered -= n;
    return whole;
  }
}

/** Reads the 16-byte standard header. */
export function readHeader(buf: Buffer): MessageHeader {
  return {
    messageLength: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

/** Writes a standard header into the first 16 bytes of `buf`. */
export function writeHeader(buf: Buffer, requestId: number, responseTo: number, opCode: number): void {
  buf.writeInt32LE(buf.length, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
}
