import { freePort } from './free-port.js';
import { type ProcessExit, startProcess } from './managed-process.js';
import { track } from './process-registry.js';
import { tsEntryCommand } from './repo-root.js';

/** Options for {@link startMongo}. */
export interface StartMongoOptions {
  /**
   * Run the emulator as a child process (its CLI) instead of inside this process, so a test can
   * SIGSTOP, SIGCONT or SIGKILL it. Ignored when `MONGO_URL` is set.
   */
  childProcess?: boolean;
  /** Child process only: called when it exits without `stop()` or `kill()` asking it to. */
  onUnexpectedExit?: (exit: ProcessExit, lastLines: readonly string[]) => void;
  /**
   * Emulator only: how often its TTL monitor runs (mongod's every 60 s, which a test of expiry
   * cannot wait for). A real MongoDB from `MONGO_URL` keeps its own period.
   */
  ttlSweepMs?: number;
}

/** A MongoDB endpoint for a test: a real server from `MONGO_URL`, or the emulator. */
export interface MongoServer {
  /** Connection string for the `mongodb` driver (pick a database with `uniqueName`). */
  readonly uri: string;
  /** True when `uri` came from `MONGO_URL`: a server this process does not own. */
  readonly external: boolean;
  /** pid of the emulator child process (`childProcess: true` only). */
  readonly pid?: number;
  /** Shut the emulator down (no-op for an external server). Idempotent. */
  stop(): Promise<void>;
  /** SIGSTOP: the server keeps its sockets but answers nothing, like a hung or partitioned node. */
  pause(): Promise<void>;
  /** SIGCONT after `pause()`. */
  resume(): Promise<void>;
  /** SIGKILL and wait for the exit: in-memory emulator data is lost. */
  kill(): Promise<void>;
}

/** Matches the emulator CLI's readiness line. */
const LISTENING = /listening on (mongodb:\/\/\S+)/;

/**
 * Provides MongoDB to a test: `MONGO_URL` when set (the same tests then run against a real
 * MongoDB), otherwise the wire-protocol emulator from `@tally/mongo-emulator`, in-process or as
 * a child process, with test commands enabled (`configureFailPoint`) as a test mongod would be. Registered for `stopAll()`.
 */
export async function startMongo(opts: StartMongoOptions = {}): Promise<MongoServer> {
  const external = process.env.MONGO_URL;
  if (external !== undefined && external !== '') return externalMongo(external);
  return opts.childProcess === true ? childMongo(opts) : inProcessMongo(opts.ttlSweepMs);
}

function refuse(uri: string, what: string, why: string): () => Promise<never> {
  return () => Promise.reject(new Error(`${what} is not possible against ${why} (${redact(uri)})`));
}

function externalMongo(uri: string): MongoServer {
  const refused = (what: string) => refuse(uri, what, 'an external MongoDB (MONGO_URL is set)');
  return {
    uri,
    external: true,
    stop: async () => {},
    pause: refused('pause()'),
    resume: refused('resume()'),
    kill: refused('kill()'),
  };
}

async function inProcessMongo(ttlSweepMs: number | undefined): Promise<MongoServer> {
  // Loaded on demand: tests that only need Redis, or run with MONGO_URL, never load the emulator.
  const { startMongoEmulator } = await import('@tally/mongo-emulator');
  const emulator = await startMongoEmulator({
    host: '127.0.0.1',
    enableTestCommands: true,
    ...(ttlSweepMs === undefined ? {} : { ttlSweepMs }),
  });
  let closed: Promise<void> | undefined;
  const stop = () => (closed ??= emulator.close().then(() => void untrack()));
  const untrack = track({ name: `mongo emulator ${emulator.uri}`, stop, killSync: () => {} });
  const refused = (what: string) => refuse(emulator.uri, what, 'an in-process emulator; use startMongo({ childProcess: true })');
  return { uri: emulator.uri, external: false, stop, pause: refused('pause()'), resume: refused('resume()'), kill: refused('kill()') };
}

async function childMongo(opts: StartMongoOptions): Promise<MongoServer> {
  const port = await freePort();
  const { command, args, cwd } = tsEntryCommand('packages/mongo-emulator/src/cli.ts');
  const proc = await startProcess({
    name: `mongo:${port}`,
    command,
    args: [
      ...args,
      ...['--port', String(port), '--setParameter', 'enableTestCommands=1'],
      ...(opts.ttlSweepMs === undefined ? [] : ['--ttl-sweep-ms', String(opts.ttlSweepMs)]),
    ],
    cwd,
  });
  let expectingExit = false;
  void proc.exited.then((exit) => {
    if (!expectingExit) opts.onUnexpectedExit?.(exit, proc.lines.slice(-30));
  });
  let uri: string;
  try {
    // The first run compiles the emulator through tsx: allow for a slow, cold machine.
    const line = await proc.waitForLine(LISTENING, 30_000);
    uri = LISTENING.exec(line)?.[1] ?? `mongodb://127.0.0.1:${port}`;
  } catch (error) {
    expectingExit = true;
    await proc.kill('SIGKILL');
    throw error;
  }
  const end = async (signal: NodeJS.Signals) => {
    expectingExit = true;
    await proc.kill(signal);
  };
  return {
    uri,
    external: false,
    pid: proc.pid,
    stop: () => end('SIGTERM'),
    pause: async () => proc.signal('SIGSTOP'),
    resume: async () => proc.signal('SIGCONT'),
    kill: () => end('SIGKILL'),
  };
}

/** Hides a password in a connection string before it goes into an error message. */
function redact(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
