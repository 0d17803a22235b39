import { startProcess, tsEntryCommand } from '@tally/testing';
import type { LoadPlan, LoadResult } from './autocannon.child.js';
import { runWrk, wrkPath } from './wrk-load.js';

export type { LoadPlan, LoadResult };

/** Which generator a plan may use: wrk when installed (closed-loop uniform plans only), or autocannon always. */
export type GeneratorChoice = 'auto' | 'autocannon';

/**
 * Runs one load plan in a child process and resolves with its result: wrk when `choice` is auto,
 * wrk is installed and the plan is one wrk can run (closed loop, uniform; it runs for the plan's duration, ignoring `amount`);
 * otherwise autocannon (autocannon.child.ts). `onProgress` hears the running request count
 * about once a second (wrk: the time only).
 */
export async function generateLoad(
  plan: LoadPlan,
  onProgress?: (requests: number, elapsedMs: number) => void,
  choice: GeneratorChoice = 'autocannon',
): Promise<LoadResult> {
  const wrk = choice === 'auto' && plan.overallRate === undefined && plan.workload === 'uniform' ? wrkPath() : undefined;
  if (wrk !== undefined) return runWrk(wrk, plan, onProgress);
  if ((plan.summariesPerRequest ?? 1) > 1 || plan.keyed)
    throw new Error('batched or keyed requests (summariesPerRequest > 1, keyed) need wrk: install it, or set TALLY_WRK');
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
