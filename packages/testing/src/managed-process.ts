import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { track } from './process-registry.js';
import { appendRecent } from './recent-lines.js';

/** How a child process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options for {@link startProcess}. */
export interface StartProcessOptions {
  /** Label for echoed output and errors, e.g. `worker` or `redis:6380`. */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  /** The child's complete environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Called for every output line, after it is stored in `lines`. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Lines kept in memory: at least the last this many (default 20,000), at most a quarter more;
   * the oldest are dropped first. A bench must not grow without bound.
   */
  maxLines?: number;
}

/** A child process with its output captured line by line. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** stdout and stderr lines, interleaved in arrival order. */
  readonly lines: string[];
  /** Resolves once the process has exited and its output is drained. Never rejects. */
  readonly exited: Promise<ProcessExit>;
  /** Set once the process has exited. */
  readonly exit: ProcessExit | undefined;
  /**
   * Resolves with the first line (already printed or yet to come) that matches. Rejects on
   * timeout (default 15 s) or if the process exits first, quoting its last lines.
   */
  waitForLine(match: RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Sends a signal unless the process has already exited (e.g. SIGSTOP, SIGCONT). */
  signal(signal: NodeJS.Signals): void;
  /**
   * Sends `signal` (default SIGTERM) and waits for the exit; escalates to SIGKILL after
   * `graceMs` (default 10 s) so a hung child cannot hang the test run.
   */
  kill(signal?: NodeJS.Signals, graceMs?: number): Promise<ProcessExit>;
}

const LAST_LINES = 30;

/**
 * Spawns a process, captures its output line by line (echoed to stderr when
 * `TALLY_TEST_VERBOSE=1`) and registers it so it is killed if the test process exits first.
 *
 * @throws if the command cannot be started (e.g. ENOENT).
 */
export async function startProcess(opts: StartProcessOptions): Promise<ManagedProcess> {
  const { name, maxLines = 20_000 } = opts;
  const child = spawn(opts.command, [...opts.args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Same process group as the test runner: an interrupted run's Ctrl-C reaches them too.
    detached: false,
  });
  await once(child, 'spawn');
  const pid = child.pid as number;

  const lines: string[] = [];
  const events = new EventEmitter();
  const echo = process.env.TALLY_TEST_VERBOSE === '1';
  const collect = (stream: 'stdout' | 'stderr') => (line: string) => {
    appendRecent(lines, line, maxLines);
    if (echo) process.stderr.write(`[${name}] ${line}\n`);
    opts.onLine?.(line, stream);
    events.emit('line', line);
  };
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', collect('stdout'));
  createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', collect('stderr'));

  let exit: ProcessExit | undefined; // set once the output is drained too
  let gone = false; // set at 'exit': from then on the pid may belong to someone else
  const untrack = track({
    name,
    stop: async () => void (await managed.kill()),
    killSync: () => sendSignal('SIGKILL'),
  });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      gone = true;
      untrack();
      // 'close' follows once the pipes are drained; don't wait forever if a grandchild holds them.
      void Promise.race([once(child, 'close'), sleep(1000, undefined, { ref: false })]).then(() => {
        exit = { code, signal };
        events.emit('exit');
        resolve({ code, signal });
      });
    });
  });

  function sendSignal(signal: NodeJS.Signals): void {
    if (gone) return;
    try {
      process.kill(pid, signal);
      // A SIGSTOPped process would keep a SIGTERM pending forever.
      if (signal !== 'SIGKILL' && signal !== 'SIGSTOP' && signal !== 'SIGCONT') process.kill(pid, 'SIGCONT');
    } catch {
      // ESRCH: it exited between the check and the kill.
    }
  }

  const describe = (): string => {
    const tail = lines.slice(-LAST_LINES);
    return tail.length > 0 ? `last ${tail.length} lines:\n  ${tail.join('\n  ')}` : 'no output';
  };

  const managed: ManagedProcess = {
    name,
    pid,
    lines,
    exited,
    get exit() {
      return exit;
    },
    waitForLine(match, timeoutMs = 15_000) {
      const test = typeof match === 'function' ? match : (line: string) => match.test(line);
      const found = lines.find(test);
      if (found !== undefined) return Promise.resolve(found);
      const what = typeof match === 'function' ? 'the expected line' : String(match);
      if (exit !== undefined) return Promise.reject(new Error(`${name} exited before printing ${what}; ${describe()}`));
      return new Promise<string>((resolve, reject) => {
        const cleanup = () => {
          clearTimeout(timer);
          events.off('line', onLine);
          events.off('exit', onExit);
        };
        const onLine = (line: string) => {
          if (!test(line)) return;
          cleanup();
          resolve(line);
        };
        const onExit = () => {
          cleanup();
          reject(new Error(`${name} exited (${formatExit(exit)}) before printing ${what}; ${describe()}`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${name} did not print ${what} within ${timeoutMs} ms; ${describe()}`));
        }, timeoutMs);
        events.on('line', onLine);
        events.once('exit', onExit);
      });
    },
    signal: sendSignal,
    async kill(signal = 'SIGTERM', graceMs = 10_000) {
      if (exit !== undefined) return exited;
      sendSignal(signal);
      // Unref'd: the child's own handle keeps this process alive until it exits, the timer must not.
      const ended = await Promise.race([exited, sleep(graceMs, undefined, { ref: false })]);
      if (ended !== undefined) return ended;
      sendSignal('SIGKILL');
      return exited;
    },
  };
  return managed;
}

/** `code 1` or `signal SIGKILL`, for messages. */
export function formatExit(exit: ProcessExit | undefined): string {
  if (exit === undefined) return 'still running';
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${exit.code}`;
}
