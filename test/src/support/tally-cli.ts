import { join, resolve } from 'node:path';
import { type ManagedProcess, type ProcessExit, repoRoot, startProcess, tsEntryCommand } from '@tally/testing';

/**
 * Which CLI to run: from source through tsx (`npm run tally`), compiled (`npm run build`), or the
 * path of another build's cli.js (to compare two versions).
 */
export type TallyCli = 'source' | 'dist' | (string & {});

function cliCommand(cli: TallyCli): { command: string; args: string[]; cwd: string } {
  if (cli === 'source') return tsEntryCommand('apps/admin/src/cli.ts');
  const script = cli === 'dist' ? join(repoRoot(), 'apps', 'admin', 'dist', 'cli.js') : resolve(cli);
  return { command: process.execPath, args: [script], cwd: repoRoot() };
}

/** `npm run tally -- …` as a child process, started the way a user starts it. */
export async function startTally(args: string[], env: Record<string, string> = {}, cli: TallyCli = 'source'): Promise<ManagedProcess> {
  const { command, args: base, cwd } = cliCommand(cli);
  return startProcess({
    name: `tally ${args[0]}`,
    command,
    args: [...base, ...args],
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
}

/** Runs the CLI to its end; its output lines, interleaved, and how it exited. */
export async function runTally(
  args: string[],
  env: Record<string, string> = {},
  cli: TallyCli = 'source',
): Promise<ProcessExit & { lines: string[] }> {
  const proc = await startTally(args, env, cli);
  const exit = await proc.exited;
  return { ...exit, lines: proc.lines };
}

/** The `--json` report of an import or migrate: the last line that parses as one. */
export function importReport(lines: string[]): {
  complete: boolean;
  stoppedBecause?: string;
  remedy?: string;
  lines: number;
  accepted: number;
  alreadyCounted: number;
  rejected: number;
  refusals: number;
  summariesPerSecond: number;
  rejectedFile?: string;
} {
  const line = lines.findLast((l) => l.startsWith('{"complete"'));
  if (line === undefined) throw new Error(`no --json report in:\n${lines.slice(-20).join('\n')}`);
  return JSON.parse(line);
}
