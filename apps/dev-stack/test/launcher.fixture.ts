import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type ManagedProcess, startProcess, tsEntryCommand } from '@tally/testing';

/** `npm start` as a user runs it, on free ports, with its state in a directory of its own. */
export interface Launcher {
  proc: ManagedProcess;
  apiUrl: string;
  stateDir: string;
  env: Record<string, string>;
}

/** The environment of a user's shell: no REDIS_URL or MONGO_URL unless the test gives them. */
export async function launcherEnv(stateDir = mkdtempSync(join(tmpdir(), 'tally-state-'))): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(await freePort()),
    ADMIN_PORT: String(await freePort()),
    TALLY_STATE_DIR: stateDir,
  };
}

/** Starts the launcher and resolves once its banner is printed. */
export async function startLauncher(env: Record<string, string>, args: string[] = []): Promise<Launcher> {
  const proc = await runLauncher(env, args);
  await proc.waitForLine((line) => line === 'Tally is up.', 120_000);
  return { proc, apiUrl: `http://127.0.0.1:${env.PORT}`, stateDir: env.TALLY_STATE_DIR ?? '', env };
}

export function runLauncher(env: Record<string, string>, args: string[] = []): Promise<ManagedProcess> {
  const { command, args: nodeArgs, cwd } = tsEntryCommand('apps/dev-stack/src/main.ts');
  return startProcess({ name: 'npm-start', command, args: [...nodeArgs, ...args], cwd, env });
}

/** Every process below `pid`, children and grandchildren. */
export function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((row) => row.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of table) {
      if (ppid !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}
