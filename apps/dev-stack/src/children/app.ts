import { type LogRecord, parseLogLine } from '@tally/testing';
import { type Child, startChild } from './child-process.js';
import { inheritedEnv, nodeChild } from './node-entry.js';

/** The apps the local stack runs. */
export type AppName = 'ingress' | 'worker' | 'admin';

/** Starts `apps/<app>/src/main.ts` as `npm run start:<app>` would, with `env` over the launcher's. */
export function startApp(app: AppName, env: Record<string, string>, onLine: (line: string) => void): Promise<Child> {
  return startChild({ name: app, ...nodeChild(`apps/${app}/src/main.ts`), env: { ...inheritedEnv(), ...env }, onLine });
}

/** The first pino record (past or future) of `child` whose `msg` is `msg`. */
export async function waitForLog(child: Child, msg: string, timeoutMs: number): Promise<LogRecord> {
  const line = await child.waitForLine((text) => parseLogLine(text)?.msg === msg, timeoutMs);
  return parseLogLine(line) as LogRecord;
}
