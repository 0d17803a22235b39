import { connect } from 'node:net';

/**
 * Sends one inline `PING` to a Redis server and resolves true on `+PONG`.
 *
 * A raw socket rather than a client library: a readiness probe must not reconnect, queue
 * commands or retry by itself. While Redis replays its AOF it answers `-LOADING`, which counts
 * as not ready: data written before a restart is only visible after loading completes.
 */
export async function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ port, host });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
