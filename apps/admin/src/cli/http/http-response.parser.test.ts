import { describe, expect, it } from 'vitest';
import { HttpProtocolError, HttpResponseParser } from './http-response.parser.js';

/** Feeds `wire` to a parser one byte at a time, as the slowest network would: every response completed. */
function byteByByte(wire: string) {
  const parser = new HttpResponseParser();
  const responses = [];
  for (const byte of Buffer.from(wire)) {
    const response = parser.push(Buffer.from([byte]));
    if (response !== null) responses.push({ ...response, body: response.body.toString() });
  }
  return responses;
}

describe('HttpResponseParser', () => {
  it('reads a Content-Length body split anywhere, and the next response on the same connection', () => {
    const wire = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nRetry-After: 2\r\n\r\nhelloHTTP/1.1 503 Busy\r\ncontent-length: 0\r\n\r\n';
    expect(byteByByte(wire)).toEqual([
      { status: 200, headers: { 'content-length': '5', 'retry-after': '2' }, body: 'hello', closes: false },
      { status: 503, headers: { 'content-length': '0' }, body: '', closes: false },
    ]);
  });

  it('reads a chunked body, with chunk extensions and trailers, split anywhere', () => {
    const wire = 'HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{"a\r\n4\r\n":1}\r\n0\r\nX-Trailer: t\r\n\r\n';
    expect(byteByByte(wire).map((r) => [r.status, r.body])).toEqual([[400, '{"a":1}']]);
  });

  it('skips an interim 100 Continue and reads the final answer', () => {
    expect(byteByByte('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n').map((r) => r.status)).toEqual([204]);
  });

  it('says when the server will close the connection after the answer', () => {
    expect(byteByByte('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')[0]!.closes).toBe(true);
    expect(byteByByte('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')[0]!.closes).toBe(true);
  });

  it('reads a body framed by the end of the connection', () => {
    const parser = new HttpResponseParser();
    expect(parser.push(Buffer.from('HTTP/1.1 200 OK\r\n\r\npart one, '))).toBeNull();
    expect(parser.push(Buffer.from('part two'))).toBeNull();
    expect(parser.end()?.body.toString()).toBe('part one, part two');
  });

  it('refuses what is not an HTTP/1.x response', () => {
    expect(() => new HttpResponseParser().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(HttpProtocolError);
    expect(() => new HttpResponseParser().push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'))).toThrow(HttpProtocolError);
  });
});
