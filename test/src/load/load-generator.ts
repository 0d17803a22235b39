import { startProcess, tsEntryCommand } from '@tally/testing';
import type { LoadPlan, LoadResult } from './autocannon.child.js';

export type { LoadPlan, LoadResult };

/**
 * Runs one load plan in a child process (autocannon.child.ts) and resolves with its result.
 * `onProgress` hears the child's running request count about once a second.
 */
export async function generateLoad(plan: LoadPlan, onProgress?: (requests: number, elapsedMs: number) => void): Promise<LoadResult> {
  const { command, args, cwd } = tsEntryCommand('test/src/load/autocannon.child.ts');
  let result: LoadResult | undefined;
  const child = await startProcess({
    name: 'autocannon',
    command,
    args: [...args, JSON.stringify(plan)],
    cwd,
    maxLines: 200,
    onLine: (line) => {
      if (line.startsWith('progress ')) {
        const p = JSON.parse(line.slice('progress '.length)) as { requests: number; elapsedMs: number };
        onProgress?.(p.requests, p.elapsedMs);
      } else if (line.startsWith('result ')) {
        result = JSON.parse(line.slice('result '.length)) as LoadResult;
      }
    },
  });
  const exit = await child.exited;
  if (result === undefined) {
    throw new Error(`the load generator ended (code ${exit.code}) without a result:\n${child.lines.slice(-20).join('\n')}`);
  }
  return result;
}
