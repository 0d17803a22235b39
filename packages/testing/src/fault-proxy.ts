import { connect, createServer, type Server, type Socket } from 'node:net';
import { BSON } from 'bson';

/** The error a fault answers with, as mongod would send it. */
export interface InjectedServerError {
  code: number;
  codeName: string;
  errorLabels?: string[];
}

/**
 * A MongoDB wire-protocol proxy that answers chosen commands with a server error instead of
 * forwarding them: the way to make a real server (or the emulator) say LockBusy, StaleConfig or
 * WriteConcernFailed on demand. Everything else is passed through byte for byte.
 */
export interface FaultProxy {
  /** `mongodb://` URL of the proxy, for a direct connection. */
  uri: string;
  /** The next `times` commands named `command` are answered with `error`. */
  failNext(command: string, times: number, error: InjectedServerError): void;
  /** How many commands were answered with an injected error so far. */
  injected(): number;
  close(): Promise<void>;
}

const OP_MSG = 2013;
const HEADER_BYTES = 16;

/** The command name of an OP_MSG: the first key of its body (kind 0) section. */
function commandName(message: Buffer): string | undefined {
  if (message.readInt32LE(12) !== OP_MSG || message[HEADER_BYTES + 4] !== 0) return undefined;
  const body = BSON.deserialize(message.subarray(HEADER_BYTES + 5), { allowObjectSmallerThanBufferSize: true });
  return Object.keys(body)[0];
}

function errorReply(requestId: number, error: InjectedServerError): Buffer {
  const body = BSON.serialize({ ok: 0, errmsg: `injected ${error.codeName}`, ...error });
  const header = Buffer.alloc(HEADER_BYTES + 5);
  header.writeInt32LE(HEADER_BYTES + 5 + body.length, 0);
  header.writeInt32LE(0x7fff_0000 + (requestId % 0xffff), 4);
  header.writeInt32LE(requestId, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(0, 16); // flag bits
  header[20] = 0; // section kind 0: the body
  return Buffer.concat([header, body]);
}

export async function startFaultProxy(targetUri: string): Promise<FaultProxy> {
  const target = new URL(targetUri);
  const faults: { command: string; error: InjectedServerError; left: number }[] = [];
  const sockets = new Set<Socket>();
  let injected = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const message = pending.subarray(0, pending.readInt32LE(0));
        pending = pending.subarray(message.length);
        const name = commandName(message);
        const fault = faults.find((f) => f.left > 0 && f.command === name);
        if (fault) {
          fault.left -= 1;
          injected += 1;
          client.write(errorReply(message.readInt32LE(4), fault.error));
        } else {
          upstream.write(message);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy has no port');
  return {
    uri: `mongodb://127.0.0.1:${address.port}/?directConnection=true`,
    failNext: (command, times, error) => faults.push({ command, error, left: times }),
    injected: () => injected,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
