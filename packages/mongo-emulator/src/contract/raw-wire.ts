import type { Socket } from 'node:net';
import { connect } from 'node:net';
import type { Document } from 'bson';
import { BSON } from 'bson';

/** A decoded reply read from a raw socket. */
export interface RawReply {
  opCode: number;
  responseTo: number;
  flags: number;
  doc: Document;
}

/**
 * A raw TCP client for protocol-level tests: sends hand-built bytes and reads replies, with no
 * driver in between.
 */
export class RawWire {
  #buffer = Buffer.alloc(0);
  #waiters: Array<() => void> = [];
  closed = false;
  readonly closedPromise: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    this.closedPromise = new Promise((resolve) => {
      socket.on('close', () => {
        this.closed = true;
        this.#wake();
        resolve();
      });
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RawWire> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawWire(socket);
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Reads one whole reply, or null when the server closes the connection first. */
  async read(timeoutMs = 2000): Promise<RawReply | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#buffer.length >= 4) {
        const len = this.#buffer.readInt32LE(0);
        if (this.#buffer.length >= len) {
          const msg = this.#buffer.subarray(0, len);
          this.#buffer = this.#buffer.subarray(len);
          return decodeReply(msg);
        }
      }
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a reply');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves true when the server closes the connection within the timeout. */
  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    return Promise.race([this.closedPromise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]);
  }

  close(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}

/** An OP_MSG with one body section (and optional document sequences). */
export function opMsg(requestId: number, body: Document, opts: { flags?: number; sequences?: Array<[string, Document[]]> } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  for (const [name, docs] of opts.sequences ?? []) {
    const payload = Buffer.concat([Buffer.from(`${name}\0`), ...docs.map((d) => Buffer.from(BSON.serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(opts.flags ?? 0);
  return frame(requestId, 2013, Buffer.concat([flags, ...parts]));
}

/** A legacy OP_QUERY against `<db>.$cmd`. */
export function opQuery(requestId: number, ns: string, query: Document): Buffer {
  const head = Buffer.alloc(4);
  const tail = Buffer.alloc(8);
  tail.writeInt32LE(0, 0);
  tail.writeInt32LE(-1, 4);
  return frame(requestId, 2004, Buffer.concat([head, Buffer.from(`${ns}\0`), tail, Buffer.from(BSON.serialize(query))]));
}

/** Wraps a body in a standard header. */
export function frame(requestId: number, opCode: number, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, body]);
}

function decodeReply(msg: Buffer): RawReply {
  const responseTo = msg.readInt32LE(8);
  const opCode = msg.readInt32LE(12);
  if (opCode === 1) {
    const flags = msg.readInt32LE(16);
    return { opCode, responseTo, flags, doc: BSON.deserialize(msg.subarray(36)) };
  }
  const flags = msg.readUInt32LE(16);
  return { opCode, responseTo, flags, doc: BSON.deserialize(msg.subarray(21)) };
}
