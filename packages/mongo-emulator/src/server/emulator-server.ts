import type { Socket } from 'node:net';
import { createServer } from 'node:net';
import { CommandDispatcher } from '../commands/command-dispatcher.js';
import { CursorRegistry } from '../cursor/cursor-registry.js';
import { StorageEngine } from '../engine/storage-engine.js';
import { sweepExpired } from '../engine/ttl-sweeper.js';
import { SessionRegistry } from '../session/session-registry.js';
import { ClientConnection } from './client-connection.js';

/** Options of {@link startMongoEmulator}. */
export interface MongoEmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Receives diagnostic lines (protocol errors, internal errors). Default: silent. */
  logger?: (msg: string) => void;
  /** How often expired TTL documents are deleted, in ms. Default 60000, like mongod's TTL monitor. */
  ttlSweepMs?: number;
  /**
   * Play a standalone mongod instead of a one-member replica set: no replica-set identity in
   * hello, no transactions or retryable writes (code 20). For testing how clients cope.
   */
  standalone?: boolean;
  /**
   * mongod's `enableTestCommands`: adds `configureFailPoint` (the `failCommand` fail point), for
   * tests that need the server to fail, block or drop a connection on cue. Off by default.
   */
  enableTestCommands?: boolean;
}

/** A running emulator. */
export interface MongoEmulator {
  /**
   * Connection string for the official driver, e.g.
   * `mongodb://127.0.0.1:27017/?replicaSet=tally-emulator`. The replicaSet parameter makes
   * driver 7 treat the emulator as a replica-set primary, which enables sessions, retryable
   * writes and transactions.
   */
  uri: string;
  port: number;
  host: string;
  /** Stops listening, closes every connection and discards all data. */
  close(): Promise<void>;
}

/** Replica set name the emulator reports in hello and in its URI. */
export const REPLICA_SET_NAME = 'tally-emulator';

/** Starts an in-memory MongoDB wire-protocol server. Data lives only as long as the process. */
export async function startMongoEmulator(opts: MongoEmulatorOptions = {}): Promise<MongoEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const logger = opts.logger ?? (() => {});
  const engine = new StorageEngine();
  const sessions = new SessionRegistry(engine);
  const cursors = new CursorRegistry();
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true });
  server.on('error', (err) => logger(`mongo-emulator: server error: ${err.message}`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  const advertised = advertisedHost(host);
  const identity = { me: `${advertised}:${port}`, setName: opts.standalone ? null : REPLICA_SET_NAME, startedAt: new Date() };
  const dispatcher = new CommandDispatcher({
    engine,
    cursors,
    sessions,
    identity,
    logger,
    enableTestCommands: opts.enableTestCommands === true,
  });

  let nextConnectionId = 1;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new ClientConnection(socket, nextConnectionId++, dispatcher, identity, logger);
  });

  const ttlSweep = setInterval(
    () => {
      try {
        sweepExpired(engine);
      } catch (err) {
        logger(`mongo-emulator: TTL sweep failed: ${(err as Error).message}`);
      }
    },
    Math.max(10, opts.ttlSweepMs ?? 60_000),
  );
  // Transaction lifetime and cursor/session expiry are checked every second, so a transaction
  // abandoned by a killed client stops blocking writers soon after its 60 s limit.
  const housekeeping = setInterval(() => {
    const now = Date.now();
    sessions.sweep(now);
    cursors.sweep(now);
  }, 1000);
  // Never keep a host process (a test runner) alive just for housekeeping.
  ttlSweep.unref();
  housekeeping.unref();

  return {
    uri: `mongodb://${advertised}:${port}/${opts.standalone ? '?directConnection=true' : `?replicaSet=${REPLICA_SET_NAME}`}`,
    port,
    host: advertised.replace(/^\[|\]$/g, ''),
    close: async () => {
      clearInterval(ttlSweep);
      clearInterval(housekeeping);
      sessions.abortAll();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The address clients should use: wildcard binds are reached through loopback. */
function advertisedHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
