import { loadConfig } from '@tally/config';
import { createLogger } from '@tally/logger';
import { type ManagedProcess, startProcess, tsEntryCommand, uniqueName, waitFor, waitForLog } from '@tally/testing';
import { ingressConfigSchema } from '../config.js';
import { createIngress, type Ingress } from '../ingress.js';

export const TOKENS = { acme: 'token-for-acme-0001', beta: 'token-for-beta-0002' } as const;
export const headersFor = (workspace: keyof typeof TOKENS) => ({
  authorization: `Bearer ${TOKENS[workspace]}`,
  'content-type': 'application/json',
});

/**
 * Starts one of the HTTP measuring instruments (`apps/ingress/src/testing/*.main.ts`) on a free
 * port, accepting acme's token, with Redis and MongoDB URLs it never reaches; resolves once it
 * listens, with its URL.
 */
export async function startInstrument(
  entry: string,
  name: string,
  settings: Record<string, string> = {},
): Promise<{ url: string; proc: ManagedProcess }> {
  const { command, args, cwd } = tsEntryCommand(`apps/ingress/src/testing/${entry}`);
  const env = {
    PATH: process.env.PATH ?? '',
    TALLY_TOKENS: `acme:${TOKENS.acme}`,
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: 'redis://127.0.0.1:9', // never reached
    MONGO_URL: 'mongodb://127.0.0.1:9/?directConnection=true',
    ...settings,
  };
  const proc = await startProcess({ name, command, args, cwd, env });
  return { url: String((await waitForLog(proc, 'ingress listening')).url), proc };
}

/**
 * An ingress wired the way `main.ts` wires it, on a test's Redis (a URL, or a local cluster), with no reachable MongoDB
 * (ingestion needs none), ready to take requests. The caller closes it.
 */
export async function testIngress(
  redis: string | { nodesEnv: string },
  env: Record<string, string> = {},
  /** The ingress's clock in milliseconds (default Date.now): a replica whose clock runs ahead. */
  clock: { now?: () => number } = {},
): Promise<Ingress> {
  const config = loadConfig(ingressConfigSchema, {
    ...(typeof redis === 'string' ? { REDIS_URL: redis } : { REDIS_CLUSTER_NODES: redis.nodesEnv }),
    MONGO_URL: 'mongodb://127.0.0.1:9/?directConnection=true',
    QUEUE_PREFIX: uniqueName('q'),
    TALLY_TOKENS: Object.entries(TOKENS)
      .map(([w, t]) => `${w}:${t}`)
      .join(','),
    BACKLOG_POLL_MS: '50',
    ...env,
  });
  const ingress = await createIngress(config, createLogger({ name: 'ingress', level: process.env.LOG_LEVEL ?? 'silent' }), clock);
  await waitFor(() => ingress.enqueuer.readiness().ready, { message: 'ingress never became ready' });
  return ingress;
}
