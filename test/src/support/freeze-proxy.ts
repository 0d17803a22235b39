import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy that can freeze: while frozen, bytes stop flowing both ways but connections stay
 * open, which is what a hung or partitioned MongoDB looks like to its clients. Used to "pause"
 * a MongoDB this process does not own (MONGO_URL), where SIGSTOP is not possible. It can also
 * lose answers: the server acted on a request, and its client never hears of it.
 */
export interface FreezeProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  /** Like a server that went down: every connection is cut and new ones are refused. */
  refuse(): Promise<void>;
  /** Accept connections again, on the same port. */
  accept(): Promise<void>;
  /**
   * From now on every `every`-th chunk the target sends is not passed on: the connection is cut
   * both ways instead, after the target has read (and acted on) the request it answers. For a
   * protocol whose answers each arrive in one chunk (small HTTP/1.1 answers, one request at a
   * time per connection), every `every`-th answer is lost. 0 stops it.
   */
  loseAnswers(every: number): void;
  /** Chunks lost so far. */
  answersLost(): number;
  close(): Promise<void>;
}

export async function startFreezeProxy(targetHost: string, targetPort: number): Promise<FreezeProxy> {
  const sockets = new Set<Socket>();
  let frozen = false;
  let loseEvery = 0;
  let answers = 0;
  let lost = 0;
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      if (frozen) s.pause();
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (loseEvery > 0 && ++answers % loseEvery === 0) {
        lost++;
        client.destroy();
        upstream.destroy();
        return;
      }
      if (!client.write(chunk)) {
        upstream.pause();
        client.once('drain', () => {
          if (!frozen) upstream.resume();
        });
      }
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const port = address.port;
  const closeServer = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    port,
    refuse: closeServer,
    accept: () =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      }),
    freeze: () => {
      frozen = true;
      for (const s of sockets) s.pause();
    },
    loseAnswers: (every) => {
      loseEvery = every;
    },
    answersLost: () => lost,
    thaw: () => {
      frozen = false;
      for (const s of sockets) s.resume();
    },
    close: async () => {
      if (server.listening) await closeServer();
      else for (const s of sockets) s.destroy();
    },
  };
}
