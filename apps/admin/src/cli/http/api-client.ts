import http from 'node:http';
import https from 'node:https';

/** A response, read whole: API answers here are small (an empty 200, an error.list, a summary). */
export interface ApiResponse {
  status: number;
  /** Names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the import and migrate commands need of an HTTP client: ApiClient, or KeepAliveClient. */
export interface HttpApi {
  request(method: 'GET' | 'POST', path: string, options?: { body?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  close(): void;
}

/** A refused connection, a reset or a request past its deadline: worth another try. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/**
 * A keep-alive HTTP(S) client for one API base URL, on node:http: the full protocol, for reading
 * from whatever server speaks Intercom's API (migrate's source). The requests an import posts
 * go through KeepAliveClient, which costs a quarter of the CPU per request. node:http rather than
 * fetch: fetch costs several times more CPU per request again.
 */
export class ApiClient implements HttpApi {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(
    baseUrl: string,
    private readonly token: string,
    options: { maxSockets: number; timeoutMs: number },
  ) {
    this.base = new URL(baseUrl);
    this.transport = this.base.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: options.maxSockets });
    this.timeoutMs = options.timeoutMs;
  }

  private readonly timeoutMs: number;

  request(method: 'GET' | 'POST', path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const url = new URL(path, this.base);
    const headers: Record<string, string | number> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
      ...options.headers,
    };
    // Encoded once: its length is the Content-Length, and the socket writes the bytes as they are.
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = body.length;
    }
    return new Promise((resolve, reject) => {
      const req = this.transport.request(url, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => reject(new NetworkError(error.message)));
      });
      // A deadline on the whole exchange: a frozen server must not hold an import forever.
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (error) => reject(error instanceof NetworkError ? error : new NetworkError(error.message)));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
