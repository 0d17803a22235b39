import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ManagedProcess, repoRoot, startProcess, waitFor, waitForLog } from '@tally/testing';

/** The ingress as the Dockerfile runs it: compiled JavaScript (`npm run build`), no tsx. */
export const BUILT_INGRESS_ENTRY = join('apps', 'ingress', 'dist', 'main.js');

/**
 * Starts `node apps/ingress/dist/main.js` with `env` and resolves once it is ready, or with
 * undefined when the build is missing (run `npm run build` first): its memory is what a
 * deployment sees, while the stack's ingress runs through tsx, whose compiler stays resident.
 */
export async function startBuiltIngress(env: Record<string, string>): Promise<{ proc: ManagedProcess; url: string } | undefined> {
  const root = repoRoot();
  if (!existsSync(join(root, BUILT_INGRESS_ENTRY))) return undefined;
  const proc = await startProcess({
    name: 'ingress-built',
    command: process.execPath,
    args: [BUILT_INGRESS_ENTRY],
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    maxLines: 200,
  });
  const url = String((await waitForLog(proc, 'ingress listening')).url);
  await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, {
    timeoutMs: 30_000,
    message: 'the built ingress never became ready',
  });
  return { proc, url };
}
