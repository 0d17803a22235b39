import { type LogRecord, parseLogLine } from './log-line.js';
import { type ManagedProcess, type ProcessExit, startProcess } from './managed-process.js';
import { tsEntryCommand } from './repo-root.js';

const APP_KILL_GRACE_MS = 30_000;

/** The runnable apps under `apps/`. */
export type AppName = 'ingress' | 'worker' | 'admin';

/** Options for {@link startApp}. */
export interface StartAppOptions {
  /** Merged over this process's environment (vitest's own variables removed). */
  env: Record<string, string>;
  /** Label in echoed output and errors, e.g. `worker-2` (default: the app's name). */
  name?: string;
  /** Called for every output line. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Entry point relative to the repo root (default `apps/<app>/src/main.ts`): a test fixture wrapping the app. */
  entry?: string;
}

/** An app started as a real process, exactly as `npm run start:<app>` would. */
export interface AppProcess {
  readonly name: string;
  readonly pid: number;
  /** Every stdout/stderr line so far. */
  readonly lines: string[];
  /** First line (past or future) matching `re`; rejects on timeout (default 15 s) or exit. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /**
   * Sends `signal` (default SIGTERM) and resolves with the exit code (null if a signal ended it).
   * Escalates to SIGKILL only after 30 s: longer than the apps' own shutdown deadline
   * (SHUTDOWN_TIMEOUT_MS, 10 s by default), so a graceful-shutdown test sees the app's exit.
   */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ProcessExit>;
  /** The underlying process, for `waitForLog` and fine-grained control. */
  readonly process: ManagedProcess;
}

/**
 * Spawns `node --conditions=tally-source --import tsx apps/<app>/src/main.ts` from the repo
 * root, with `LOG_LEVEL=info` unless `env` says otherwise. The process is registered for
 * `stopAll()` and killed if the test process exits.
 */
export async function startApp(app: AppName, opts: StartAppOptions): Promise<AppProcess> {
  const { command, args, cwd } = tsEntryCommand(opts.entry ?? `apps/${app}/src/main.ts`);
  const proc = await startProcess({
    name: opts.name ?? app,
    command,
    args,
    cwd,
    env: { ...inheritedEnv(), LOG_LEVEL: 'info', ...opts.env },
    ...(opts.onLine !== undefined && { onLine: opts.onLine }),
  });
  return {
    name: proc.name,
    pid: proc.pid,
    lines: proc.lines,
    waitForLine: (re, timeoutMs) => proc.waitForLine(re, timeoutMs),
    kill: async (signal) => (await proc.kill(signal, APP_KILL_GRACE_MS)).code,
    exited: proc.exited,
    process: proc,
  };
}

/**
 * Resolves with the first pino record (already logged or yet to come) whose `msg` equals `msg`,
 * e.g. `await waitForLog(ingress, 'ingress listening')` and then read its `url`.
 */
export async function waitForLog(proc: AppProcess | ManagedProcess, msg: string, timeoutMs = 30_000): Promise<LogRecord> {
  const target = 'process' in proc ? proc.process : proc;
  const line = await target
    .waitForLine((text) => parseLogLine(text)?.msg === msg, timeoutMs)
    .catch((error: unknown) => {
      throw new Error(`waiting for log "${msg}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
  return parseLogLine(line) as LogRecord;
}

/**
 * This process's environment without the variables vitest sets for itself: an app started by a
 * test should behave as one started by a user, not detect a test runner.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key.startsWith('TINYPOOL')) delete env[key];
  return env;
}
