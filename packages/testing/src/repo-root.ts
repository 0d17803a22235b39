import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The monorepo's root: the nearest ancestor of this file whose package.json declares
 * `workspaces`. Found from this file rather than `process.cwd()` because vitest runs each
 * package with its own directory as the cwd.
 */
export function repoRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && hasWorkspaces(manifest)) {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json with "workspaces" above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function hasWorkspaces(manifest: string): boolean {
  try {
    return 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object);
  } catch {
    return false;
  }
}

/**
 * Command and arguments that run a TypeScript entry point of this repo the way the root
 * package.json scripts do: plain `node`, workspace packages resolved to their sources, tsx loaded
 * in-process (so the pid is the program's own, and signals reach it directly).
 *
 * @param entry - path relative to the repo root, e.g. `apps/worker/src/main.ts`.
 */
export function tsEntryCommand(entry: string): { command: string; args: string[]; cwd: string } {
  return {
    command: process.execPath,
    args: ['--conditions=tally-source', '--import', 'tsx', entry],
    cwd: repoRoot(),
  };
}
