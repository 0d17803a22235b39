import type { Socket } from 'node:net';
import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import type { ConnectionInfo, ServerIdentity } from '../commands/command-context.js';
import type { CommandDispatcher } from '../commands/command-dispatcher.js';
import { helloReply } from '../commands/hello.command.js';
import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { encodeDocument } from '../wire/bson-codec.js';
import type { FramedMessage } from '../wire/message-framer.js';
import { FramingError, MessageFramer } from '../wire/message-framer.js';
import { opMsgReplyPrefix, parseOpMsg } from '../wire/op-msg.js';
import { opReplyPrefix, parseOpQuery } from '../wire/op-query.js';
import { OP_COMPRESSED, OP_MSG, OP_QUERY } from '../wire/opcodes.js';

let nextReplyId = 1;

/**
 * One client socket: frames messages, runs them one at a time in arrival order (drivers never
 * pipeline requests on a connection, and order matters for moreToCome writes), and writes
 * replies. Bad input never throws out of here: a broken stream closes this socket only.
 */
export class ClientConnection {
  readonly #framer = new MessageFramer();
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #info: ConnectionInfo;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly dispatcher: CommandDispatcher,
    private readonly identity: ServerIdentity,
    private readonly logger: (msg: string) => void,
  ) {
    this.#info = { id };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.#closed = true;
    });
  }

  /** Closes the socket immediately. */
  close(): void {
    this.#closed = true;
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    let messages: FramedMessage[];
    try {
      messages = this.#framer.push(chunk);
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      this.logger(`mongo-emulator: connection ${this.id}: ${err.message}; closing it`);
      if (err.header) {
        this.#send(err.header.requestId, new CommandError(ErrorCode.ProtocolError, err.message).toReply());
      }
      this.#closed = true;
      this.socket.end();
      return;
    }
    for (const message of messages) {
      this.#queue = this.#queue
        .then(() => this.#handle(message))
        .catch((e: unknown) => {
          this.logger(`mongo-emulator: connection ${this.id}: ${(e as Error).message}; closing it`);
          this.close();
        });
    }
  }

  async #handle({ header, body }: FramedMessage): Promise<void> {
    if (this.#closed) return;
    switch (header.opCode) {
      case OP_MSG: {
        let request;
        try {
          request = parseOpMsg(body);
        } catch (err) {
          this.#send(header.requestId, new CommandError(ErrorCode.InvalidBSON, `invalid OP_MSG: ${(err as Error).message}`).toReply());
          return;
        }
        this.#noteHandshake(request.command);
        const reply = await this.dispatcher.execute(request.command, this.#info);
        if (reply === null) {
          this.close();
          return;
        }
        if (!request.moreToCome) this.#send(header.requestId, reply);
        return;
      }
      case OP_QUERY:
        this.#answerLegacy(header.requestId, body);
        return;
      case OP_COMPRESSED:
        // No compressor is ever negotiated (hello advertises none), so a compressed message is a
        // protocol violation: say so and close.
        this.#send(
          header.requestId,
          new CommandError(
            ErrorCode.ProtocolError,
            'OP_COMPRESSED is not supported: the mongo emulator negotiates no compression',
          ).toReply(),
        );
        this.#closed = true;
        this.socket.end();
        return;
      default:
        this.logger(`mongo-emulator: connection ${this.id}: unsupported opcode ${header.opCode}; closing it`);
        this.close();
    }
  }

  /** Only the legacy isMaster/hello handshake is answered over OP_QUERY, as mongod 6+ does. */
  #answerLegacy(requestId: number, body: Buffer): void {
    let reply: Doc;
    try {
      const { collection, query } = parseOpQuery(body);
      const name = Object.keys(query)[0] ?? '';
      this.#noteHandshake(query);
      if (collection.endsWith('.$cmd') && (name === 'isMaster' || name === 'ismaster' || name === 'hello')) {
        reply = { ...helloReply({ identity: this.identity, connectionId: this.id, command: query }, name !== 'hello'), ok: 1 };
      } else {
        reply = new CommandError(
          ErrorCode.UnsupportedOpQueryCommand,
          `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal`,
        ).toReply();
      }
    } catch (err) {
      reply = new CommandError(ErrorCode.InvalidBSON, `invalid OP_QUERY: ${(err as Error).message}`).toReply();
    }
    this.#write(opReplyPrefix, requestId, reply);
  }

  /** Remembers the driver's appName from the handshake (fail points can filter on it). */
  #noteHandshake(command: Doc): void {
    const client = command.client;
    if (!isPlainObject(client) || !isPlainObject(client.application)) return;
    const name = client.application.name;
    if (typeof name === 'string') this.#info.appName = name;
  }

  #send(responseTo: number, reply: Doc): void {
    this.#write(opMsgReplyPrefix, responseTo, reply);
  }

  #write(prefix: (id: number, to: number, len: number) => Buffer, responseTo: number, reply: Doc): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    let body: Uint8Array;
    try {
      body = encodeDocument(reply);
    } catch (err) {
      body = encodeDocument(new CommandError(ErrorCode.InternalError, `cannot encode reply: ${(err as Error).message}`).toReply());
    }
    nextReplyId = (nextReplyId % 0x7fffffff) + 1;
    const head = prefix(nextReplyId, responseTo, body.length);
    this.socket.write(Buffer.concat([head, body]));
  }
}
