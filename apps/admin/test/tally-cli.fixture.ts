import { startProcess, tsEntryCommand } from '@tally/testing';

/**
 * Runs `npm run tally -- <args>` the way a user does (node + tsx + the tally-source condition),
 * with only PATH, HOME and `env` in its environment, and collects its output.
 */
export async function runTallyCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { command, args: nodeArgs, cwd } = tsEntryCommand('apps/admin/src/cli.ts');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const proc = await startProcess({
    name: 'tally-cli',
    command,
    args: [...nodeArgs, ...args],
    cwd,
    // No stack file of a developer's `npm start` may leak in: the test names its servers itself.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TALLY_STATE_DIR: '/nonexistent/tally-state', ...env },
    onLine: (line, stream) => (stream === 'stdout' ? stdout : stderr).push(line),
  });
  const exit = await proc.exited;
  return { code: exit.code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
