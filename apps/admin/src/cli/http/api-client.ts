import { errors, Pool } from 'undici';

/** A response, read whole: API answers here are small (an empty 200, an error.list, a summary). */
export interface ApiResponse {
  status: number;
  /** Names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the import and migrate commands need of an HTTP client. */
export interface HttpApi {
  request(method: 'GET' | 'POST', path: string, options?: { body?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  /** The whole URL a request to `path` goes to, for messages. */
  urlOf(path: string): string;
  /** The API's base URL as given, without a trailing slash, for messages. */
  readonly baseUrl: string;
  close(): void;
}

/** A refused connection, a reset or a request past its deadline: worth another try. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/**
 * A keep-alive HTTP(S) client for one API base URL: the import's posts and migrate's reads. On
 * undici's connection pool, not node:http: an import sends one request per user's run of
 * summaries, and on a shared machine the importer's CPU is taken from the ingress it feeds.
 * Measured with a local server in the same process, a request cost about 90 µs of CPU through
 * node:http and 70 through undici (fetch, built on undici, costs more than either). Any failure
 * to get an answer (refused, reset, no answer within `timeoutMs`) is a NetworkError, which the
 * callers retry; a request that cannot be sent as given (a header value with a line break) is a
 * TypeError, never retried.
 */
export class ApiClient implements HttpApi {
  private readonly base: URL;
  /**
   * The base URL without its trailing slash, put before every request's path: a Tally behind a
   * proxy at `https://example.com/tally` is reached at `/tally/events/summaries`, never at the
   * host's own `/events/summaries`, which may be something else that answers.
   */
  readonly baseUrl: string;
  private readonly pool: Pool;

  constructor(
    baseUrl: string,
    private readonly token: string,
    private readonly options: { maxSockets: number; timeoutMs: number },
  ) {
    this.base = new URL(baseUrl);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${baseUrl}`);
    if (this.base.search !== '' || this.base.hash !== '') throw new TypeError(`an API base URL has no query or fragment: ${baseUrl}`);
    this.baseUrl = `${this.base.origin}${this.base.pathname.replace(/\/+$/, '')}`;
    // The deadline covers waiting for the answer's head, then for its body: a frozen server must
    // not hold an import forever.
    this.pool = new Pool(this.base.origin, {
      connections: options.maxSockets,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    const url = new URL(this.urlOf(path));
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await this.pool.request({ method, path: `${url.pathname}${url.search}`, headers, body: options.body });
      return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
    } catch (error) {
      if (error instanceof errors.InvalidArgumentError) throw new TypeError(error.message);
      throw new NetworkError(this.describe(error as Error & { code?: string }));
    }
  }

  urlOf(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /**
   * What went wrong, in words a user can act on (the progress line and the final report quote
   * it): undici's own messages ("other side closed", "Headers Timeout Error") say little; the
   * system's (`connect ECONNREFUSED 127.0.0.1:3000`) are kept as they are.
   */
  private describe(error: Error & { code?: string }): string {
    const seconds = `${this.options.timeoutMs / 1000} s`;
    switch (error.code) {
      case 'UND_ERR_SOCKET':
        return `the server closed the connection before answering (${error.message})`;
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
        return `no answer from ${this.base.origin} within ${seconds}`;
      case 'UND_ERR_CONNECT_TIMEOUT':
        return `could not connect to ${this.base.origin} within ${seconds}`;
      default:
        return error.message;
    }
  }

  /** Connections open now, idle or busy (at most maxSockets). */
  get openConnections(): number {
    return this.pool.stats.connected;
  }

  close(): void {
    void this.pool.destroy();
  }
}
