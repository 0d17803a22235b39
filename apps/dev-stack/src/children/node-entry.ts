import { fileURLToPath } from 'node:url';
import { repoRoot } from '@tally/testing';

/** Preloaded into every Node child: it stops when the launcher dies, even by SIGKILL. */
const DIE_WITH_PARENT = fileURLToPath(new URL('../orphan-guard/die-with-parent.ts', import.meta.url));
/** Runs a program that cannot watch its parent (redis-server) and stops it when the launcher dies. */
const GUARDED_EXEC = fileURLToPath(new URL('../orphan-guard/guarded-exec.ts', import.meta.url));

/** node + tsx + the tally-source condition, as the root scripts run an entry point. */
const NODE_TS = ['--conditions=tally-source', '--import', 'tsx'];

/** How the launcher runs a TypeScript entry point of this repo as a child that dies with it. */
export function nodeChild(entry: string, args: readonly string[] = []): { command: string; args: string[]; cwd: string } {
  return { command: process.execPath, args: [...NODE_TS, '--import', DIE_WITH_PARENT, entry, ...args], cwd: repoRoot() };
}

/** How the launcher runs a native program as a child that dies with it. */
export function guardedChild(command: string, args: readonly string[]): { command: string; args: string[]; cwd: string } {
  return { command: process.execPath, args: [...NODE_TS, GUARDED_EXEC, command, ...args], cwd: repoRoot() };
}

/** The launcher's environment as strings, for a child's complete environment. */
export function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
