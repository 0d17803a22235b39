/** A response read whole: its status, its headers (names in lower case) and its body's bytes. */
export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The server will close the connection after this response (`Connection: close`, HTTP/1.0). */
  closes: boolean;
}

/** The server sent something that is not an HTTP/1.x response: the connection cannot be reused. */
export class HttpProtocolError extends Error {
  override name = 'HttpProtocolError';
}

/** A response head larger than this is refused rather than buffered without end. */
const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/**
 * Reads the responses of one keep-alive connection from the bytes as they arrive: a body framed
 * by Content-Length, by chunked transfer encoding, or (without either) by the connection's end.
 * Interim 1xx responses are skipped. The requests it answers are GET and POST, so every final
 * status but 204 and 304 has a body. Bytes past the end of a response are kept for the next one.
 */
export class HttpResponseParser {
  private pending: Buffer = Buffer.alloc(0);
  private head: Omit<ParsedResponse, 'body'> | null = null;
  /** Content-Length framing: bytes still to come; chunked: -1; until the connection ends: -2. */
  private remaining = 0;
  private chunks: Buffer[] = [];

  /** Feeds bytes; returns the response they complete, if any. */
  push(data: Buffer): ParsedResponse | null {
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    if (this.head === null && !this.readHead()) return null;
    return this.readBody();
  }

  /** The connection ended: the response it completes (a body framed by the end), or null. */
  end(): ParsedResponse | null {
    if (this.head === null || this.remaining !== -2) return null;
    this.chunks.push(this.pending);
    return this.finish();
  }

  private readHead(): boolean {
    const end = this.pending.indexOf(HEAD_END);
    if (end === -1) {
      if (this.pending.length > MAX_HEAD_BYTES) throw new HttpProtocolError('response head too large');
      return false;
    }
    const lines = this.pending.toString('latin1', 0, end).split('\r\n');
    this.pending = this.pending.subarray(end + HEAD_END.length);
    const status = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0]!);
    if (status === null) throw new HttpProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0]!.slice(0, 80))}`);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new HttpProtocolError(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const code = Number(status[2]);
    // An interim response (100 Continue, 103 Early Hints): the real one follows.
    if (code >= 100 && code < 200) return this.pending.length > 0 && this.readHead();
    const connection = headers.connection?.toLowerCase() ?? '';
    this.head = { status: code, headers, closes: status[1] === '0' ? !connection.includes('keep-alive') : connection.includes('close') };
    this.chunks = [];
    if (code === 204 || code === 304) this.remaining = 0;
    else if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) this.remaining = -1;
    else if (headers['content-length'] !== undefined) {
      this.remaining = Number(headers['content-length']);
      if (!Number.isSafeInteger(this.remaining) || this.remaining < 0) throw new HttpProtocolError('invalid Content-Length');
    } else {
      this.remaining = -2;
      this.head.closes = true;
    }
    return true;
  }

  /** The response once its body is complete, else null (more bytes are needed). */
  private readBody(): ParsedResponse | null {
    if (this.remaining === -2) return null;
    if (this.remaining === -1) return this.readChunks();
    const take = Math.min(this.remaining, this.pending.length);
    if (take > 0) this.chunks.push(this.pending.subarray(0, take));
    this.pending = this.pending.subarray(take);
    this.remaining -= take;
    return this.remaining === 0 ? this.finish() : null;
  }

  private readChunks(): ParsedResponse | null {
    for (;;) {
      const lineEnd = this.pending.indexOf(CRLF);
      if (lineEnd === -1) return null;
      const size = Number.parseInt(this.pending.toString('latin1', 0, lineEnd).split(';')[0]!.trim(), 16);
      if (!Number.isSafeInteger(size) || size < 0) throw new HttpProtocolError('invalid chunk size');
      if (size === 0) {
        // The last chunk, then trailers (ignored) up to an empty line: `0\r\n[trailer\r\n]*\r\n`.
        const end = this.pending.indexOf(HEAD_END, lineEnd);
        if (end === -1) return null;
        this.pending = this.pending.subarray(end + HEAD_END.length);
        return this.finish();
      }
      const dataStart = lineEnd + CRLF.length;
      if (this.pending.length < dataStart + size + CRLF.length) return null;
      this.chunks.push(this.pending.subarray(dataStart, dataStart + size));
      this.pending = this.pending.subarray(dataStart + size + CRLF.length);
    }
  }

  private finish(): ParsedResponse {
    const response = { ...this.head!, body: this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks) };
    this.head = null;
    this.chunks = [];
    return response;
  }
}
