import { join } from 'node:path';
import { readLocalStackFile } from '@tally/config';

/** Where the CLI's connection settings came from: said on stderr, so nobody guesses. */
export type EnvSource = { kind: 'environment' } | { kind: 'local-stack'; pid: number; file: string };

/**
 * The environment the CLI runs with. Variables set in the shell or `.env` win. Otherwise, while
 * `npm start` runs, its stack file supplies REDIS_URL, QUEUE_PREFIX, MONGO_URL and MONGO_DB, so the
 * README's commands act on that stack and never on another Redis that answers on 6379.
 */
export function cliEnvironment(env: NodeJS.ProcessEnv, cwd: string): { env: Record<string, string | undefined>; source: EnvSource } {
  if (env.REDIS_URL !== undefined || env.MONGO_URL !== undefined) return { env, source: { kind: 'environment' } };
  const file = join(env.TALLY_STATE_DIR ?? join(cwd, '.tally'), 'stack.json');
  const stack = readLocalStackFile(file);
  if (stack === null) return { env, source: { kind: 'environment' } };
  return {
    env: { ...env, REDIS_URL: stack.redisUrl, QUEUE_PREFIX: stack.queuePrefix, MONGO_URL: stack.mongoUrl, MONGO_DB: stack.mongoDb },
    source: { kind: 'local-stack', pid: stack.pid, file },
  };
}
