import { EventEmitter, once } from 'node:events';
import { execa } from 'execa';

/** How a child ended: an exit code, or the signal that ended it. */
export interface ChildExit {
  code: number | null;
  signal: string | null;
}

/** Options for {@link startChild}. */
export interface StartChildOptions {
  /** Prefix of its output lines and name in messages: `ingress`, `redis`, … */
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  /** The child's complete environment. */
  env: Record<string, string>;
  /** Every line of stdout and stderr, as it arrives. */
  onLine: (line: string) => void;
}

/** A child process of the launcher. */
export interface Child {
  readonly name: string;
  readonly pid: number;
  /** The last lines it printed, for the message when it dies unexpectedly. */
  readonly lastLines: () => string[];
  /** Resolves when it has exited; never rejects. */
  readonly exited: Promise<ChildExit>;
  /** The first line (already printed or yet to come) that matches; rejects on exit or timeout. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs: number): Promise<ChildExit>;
  /** SIGKILL at once; resolves on exit. */
  kill(): Promise<ChildExit>;
}

const KEPT_LINES = 30;

/**
 * Starts a child in its own process group (a terminal's Ctrl-C reaches only the launcher, which
 * then stops its children in order), its output handed over line by line.
 */
export async function startChild(options: StartChildOptions): Promise<Child> {
  const lines: string[] = [];
  const events = new EventEmitter();
  // An execa line transform that yields nothing: each line is handed over, none is buffered.
  // biome-ignore lint/correctness/useYield: execa requires a generator; this one consumes lines.
  const tap = function* (line: unknown) {
    const text = String(line);
    lines.push(text);
    if (lines.length > KEPT_LINES) lines.shift();
    options.onLine(text);
    events.emit('line', text);
  };
  const subprocess = execa(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    stdout: [tap],
    stderr: [tap],
    buffer: false,
    reject: false,
  });
  await Promise.race([once(subprocess, 'spawn'), subprocess]);
  if (subprocess.pid === undefined) throw new Error(`cannot start ${options.name}: ${(await subprocess).shortMessage}`);
  const pid = subprocess.pid;
  let exit: ChildExit | undefined;
  const exited = subprocess.then((result) => {
    exit = { code: result.exitCode ?? null, signal: result.signal ?? null };
    events.emit('exit');
    return exit;
  });

  const send = (signal: NodeJS.Signals) => {
    if (exit !== undefined) return;
    // SIGTERM to the child, which stops what it runs in order; SIGKILL to its whole process group,
    // so nothing it started (guarded-exec's redis-server) survives it.
    if (signal !== 'SIGKILL') subprocess.kill(signal);
    else {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // ESRCH: already gone.
      }
    }
  };
  return {
    name: options.name,
    pid,
    lastLines: () => [...lines],
    exited,
    waitForLine(match, timeoutMs) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          events.off('line', onLine);
          events.off('exit', onExit);
        };
        const onLine = (line: string) => {
          if (!match(line)) return;
          done();
          resolve(line);
        };
        const onExit = () => {
          done();
          reject(new Error(`${options.name} exited (${formatExit(exit)}) before it was ready`));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${options.name} was not ready within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        events.on('line', onLine);
        events.once('exit', onExit);
        if (exit !== undefined) onExit();
      });
    },
    async stop(graceMs) {
      send('SIGTERM');
      const timer = setTimeout(() => send('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    async kill() {
      send('SIGKILL');
      return exited;
    },
  };
}

/** `code 1` or `signal SIGKILL`, for messages. */
export function formatExit(exit: ChildExit | undefined): string {
  if (exit === undefined) return 'still running';
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${exit.code}`;
}
