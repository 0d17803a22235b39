import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, isPortFree } from './free-port.js';
import { formatExit, type ManagedProcess, type ProcessExit, startProcess } from './managed-process.js';
import { track } from './process-registry.js';
import { findRedisServer } from './redis-binary.js';
import { pingRedis } from './redis-ping.js';

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /** Persist writes to an append-only file (default true, as in production). */
  appendOnly?: boolean;
  /** AOF fsync policy (default `everysec`, Redis's own default); `always` survives SIGKILL with no loss. */
  appendFsync?: 'always' | 'everysec' | 'no';
  /** Fixed port; it must be free. Default: a free port (retried if another process takes it first). */
  port?: number;
  /** Data directory, created if needed and kept. Default: a fresh temporary directory, deleted by `stop()`. */
  dir?: string;
  /** Called when redis-server exits without `stop()`, `kill()` or `restart()` asking it to. */
  onUnexpectedExit?: (exit: ProcessExit, lastLines: readonly string[]) => void;
}

/** A redis-server child process owned by the caller. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** pid of the current redis-server process (a new one after `restart()`). */
  readonly pid: number;
  /** SIGTERM (Redis flushes the AOF), wait for the exit, delete the temporary dir. Idempotent. */
  stop(): Promise<void>;
  /** Send `signal` (default SIGKILL) and wait for the exit; the data dir is kept for `restart()`. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start again on the same port and dir (stopping it first if running), so AOF data survives. */
  restart(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

/**
 * Starts a private redis-server on 127.0.0.1 and resolves once it answers PING (AOF loaded).
 *
 * RDB snapshots are off (`--save ""`): with a temp dir they would only slow tests down, and AOF
 * is what the durability tests exercise. The server is registered for `stopAll()` and killed if
 * the test process exits first.
 *
 * @throws {@link RedisServerMissingError} when redis-server is not installed: tests fail, never skip.
 */
export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisServer> {
  const bin = findRedisServer();
  const ownsDir = opts.dir === undefined;
  const dir = ownsDir ? mkdtempSync(join(tmpdir(), 'tally-redis-')) : resolve(opts.dir as string);
  mkdirSync(dir, { recursive: true });
  const removeDir = () => ownsDir && rmSync(dir, { recursive: true, force: true });
  const untrackDir = track({ name: `redis dir ${dir}`, stop: async () => void removeDir(), killSync: removeDir });

  const args = (port: number) => [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
    ...['--appendonly', opts.appendOnly === false ? 'no' : 'yes', '--appendfsync', opts.appendFsync ?? 'everysec'],
    ...['--daemonize', 'no'],
  ];

  let expectingExit = false;
  const launch = async (port: number): Promise<ManagedProcess> => {
    const proc = await startProcess({
      name: `redis:${port}`,
      command: bin,
      args: args(port),
      cwd: dir,
    });
    void proc.exited.then((exit) => {
      if (!expectingExit && current === proc) opts.onUnexpectedExit?.(exit, proc.lines.slice(-30));
    });
    await waitUntilReady(proc, port);
    return proc;
  };

  let port: number;
  let current: ManagedProcess;
  try {
    ({ port, proc: current } = await launchOnSomePort(opts.port, launch));
  } catch (error) {
    removeDir();
    untrackDir();
    throw error;
  }

  const halt = async (signal: NodeJS.Signals) => {
    expectingExit = true;
    await current.kill(signal);
  };
  let stopped = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return current.pid;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt('SIGTERM');
      removeDir();
      untrackDir();
    },
    kill: (signal = 'SIGKILL') => halt(signal).then(() => undefined),
    async restart() {
      if (stopped) throw new Error(`redis on port ${port} was stopped for good; start a new one`);
      await halt('SIGTERM');
      if (!(await isPortFree(port))) throw new Error(`cannot restart redis: port ${port} was taken meanwhile`);
      expectingExit = false;
      current = await launch(port);
    },
  };
}

/** Uses `fixed` if given, else tries up to three free ports: another process may grab one first. */
async function launchOnSomePort(
  fixed: number | undefined,
  launch: (port: number) => Promise<ManagedProcess>,
): Promise<{ port: number; proc: ManagedProcess }> {
  if (fixed !== undefined) {
    if (!(await isPortFree(fixed))) throw new Error(`cannot start redis: port ${fixed} is already in use`);
    return { port: fixed, proc: await launch(fixed) };
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return { port, proc: await launch(port) };
    } catch (error) {
      const raced = error instanceof Error && /address already in use/i.test(error.message);
      if (!raced || attempt === 3) throw error;
    }
  }
}

async function waitUntilReady(proc: ManagedProcess, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    // Checked before PING: if ours died (port taken), another server may be the one answering.
    if (proc.exit !== undefined) {
      throw new Error(`redis-server exited (${formatExit(proc.exit)}) before answering PING:\n  ${proc.lines.slice(-15).join('\n  ')}`);
    }
    if (await pingRedis(port)) return;
    if (Date.now() > deadline) {
      await proc.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms`);
    }
    await sleep(25);
  }
}
