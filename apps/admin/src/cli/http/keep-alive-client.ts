import net from 'node:net';
import tls from 'node:tls';
import { type ApiResponse, type HttpApi, NetworkError } from './api-client.js';
import { HttpResponseParser, type ParsedResponse } from './http-response.parser.js';

/** What a header value may hold here: printable ASCII and tabs (no CR/LF that would split the head). */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** One request on the wire, waiting for its answer. */
interface Exchange {
  resolve: (response: ParsedResponse) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** One keep-alive connection: one request at a time, its answer read by HttpResponseParser. */
class Connection {
  private readonly parser = new HttpResponseParser();
  private exchange: Exchange | null = null;
  /** False once the socket closed, failed or was told to close: it takes no further request. */
  usable = true;

  constructor(
    private readonly socket: net.Socket,
    onClose: (connection: Connection) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => {
      let response: ParsedResponse | null;
      try {
        response = this.parser.push(data);
      } catch (error) {
        return this.fail(new NetworkError((error as Error).message));
      }
      if (response !== null) this.settle(response);
    });
    socket.on('end', () => {
      const response = this.parser.end();
      if (response !== null) this.settle(response);
      this.fail(new NetworkError('the server closed the connection before answering'));
    });
    socket.on('error', (error) => this.fail(new NetworkError(error.message)));
    socket.on('close', () => {
      this.fail(new NetworkError('the connection closed before an answer'));
      onClose(this);
    });
  }

  send(wire: string, timeoutMs: number): Promise<ParsedResponse> {
    if (!this.usable) return Promise.reject(new NetworkError('the connection closed before the request was sent'));
    return new Promise((resolve, reject) => {
      // A deadline on the whole exchange: a frozen server must not hold an import forever.
      const timer = setTimeout(() => this.fail(new NetworkError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      this.exchange = { resolve, reject, timer };
      this.socket.write(wire);
    });
  }

  destroy(): void {
    this.usable = false;
    this.socket.destroy();
  }

  private settle(response: ParsedResponse): void {
    const exchange = this.exchange;
    this.exchange = null;
    if (response.closes) this.destroy();
    if (exchange === null) {
      this.destroy(); // an answer nobody asked for: the stream is out of step
      return;
    }
    clearTimeout(exchange.timer);
    exchange.resolve(response);
  }

  private fail(error: Error): void {
    this.destroy();
    const exchange = this.exchange;
    this.exchange = null;
    if (exchange === null) return;
    clearTimeout(exchange.timer);
    exchange.reject(error);
  }
}

/**
 * A keep-alive HTTP/1.1 client for the import's requests, written on a bare socket: node:http
 * spent about 150 µs of CPU on each request (header objects, validation, the agent's events),
 * four times what writing the request and reading its short answer takes here, and on a shared
 * machine the importer's CPU is taken from the ingress it feeds. It speaks what an import needs
 * of HTTP/1.1: one request at a time per connection (no pipelining), answers framed by
 * Content-Length, chunked encoding or the connection's end, `Connection: close`, http and https.
 * Any failure on a connection is a NetworkError, which the sender retries under the same key.
 */
export class KeepAliveClient implements HttpApi {
  private readonly base: URL;
  private readonly host: string;
  private readonly fixedHeaders: string;
  private readonly idle: Connection[] = [];
  private readonly waiting: ((connection: Connection) => void)[] = [];
  private readonly targets = new Map<string, string>();
  private open = 0;
  private closed = false;

  constructor(
    baseUrl: string,
    token: string,
    private readonly options: { maxSockets: number; timeoutMs: number },
  ) {
    this.base = new URL(baseUrl);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${baseUrl}`);
    this.host = this.base.host;
    const authorization = `Bearer ${token}`;
    if (!HEADER_VALUE.test(authorization)) throw new TypeError('the token holds characters an HTTP header cannot carry');
    this.fixedHeaders = `host: ${this.host}\r\nauthorization: ${authorization}\r\naccept: application/json\r\n`;
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    let head = `${method} ${this.target(path)} HTTP/1.1\r\n${this.fixedHeaders}`;
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (!HEADER_VALUE.test(value) || !/^[\w-]+$/.test(name)) throw new TypeError(`header ${name} cannot be sent as given`);
      head += `${name}: ${value}\r\n`;
    }
    if (options.body !== undefined) head += `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(options.body)}\r\n`;
    const connection = await this.acquire();
    try {
      const response = await connection.send(`${head}\r\n${options.body ?? ''}`, this.options.timeoutMs);
      return { status: response.status, headers: response.headers, body: response.body.toString('utf8') };
    } finally {
      this.release(connection);
    }
  }

  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.destroy();
  }

  /** The request target of a path, resolved against the base URL as `new URL(path, base)` does. */
  private target(path: string): string {
    let target = this.targets.get(path);
    if (target === undefined) {
      const url = new URL(path, this.base);
      target = `${url.pathname}${url.search}`;
      this.targets.set(path, target);
    }
    return target;
  }

  private acquire(): Promise<Connection> {
    if (this.closed) return Promise.reject(new NetworkError('the client is closed'));
    // An idle connection whose close is not yet seen is dropped rather than tried.
    for (let connection = this.idle.pop(); connection !== undefined; connection = this.idle.pop()) {
      if (connection.usable) return Promise.resolve(connection);
    }
    if (this.open < this.options.maxSockets) return Promise.resolve(this.connect());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Connections open, idle or busy (at most maxSockets). */
  get openConnections(): number {
    return this.open;
  }

  /** Back to the pool; one that can serve no more is closed, and its close makes room. */
  private release(connection: Connection): void {
    if (!connection.usable || this.closed) {
      connection.destroy();
      return;
    }
    const next = this.waiting.shift();
    if (next !== undefined) next(connection);
    else this.idle.push(connection);
  }

  private connect(): Connection {
    this.open++;
    const port = Number(this.base.port) || (this.base.protocol === 'https:' ? 443 : 80);
    const hostname = this.base.hostname.replace(/^\[|\]$/g, '');
    const socket =
      this.base.protocol === 'https:'
        ? tls.connect({ host: hostname, port, ...(net.isIP(hostname) === 0 ? { servername: hostname } : {}) })
        : net.connect({ host: hostname, port });
    return new Connection(socket, (closed) => this.forget(closed));
  }

  /** A connection closed (by either side, at any time): out of the pool, and its place to a waiting request. */
  private forget(connection: Connection): void {
    this.open--;
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
    const next = this.waiting.shift();
    if (next !== undefined && !this.closed) next(this.connect());
  }
}
