import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Thrown when no redis-server can be found: integration tests fail loudly, they never skip. */
export class RedisServerMissingError extends Error {
  override readonly name = 'RedisServerMissingError';
}

/**
 * Path of the redis-server binary: `REDIS_SERVER_BIN` if set, else the first `redis-server` on
 * `PATH`.
 *
 * @throws {@link RedisServerMissingError} explaining how to install it.
 */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.REDIS_SERVER_BIN;
  if (explicit !== undefined && explicit !== '') {
    if (isExecutable(explicit)) return explicit;
    throw new RedisServerMissingError(`REDIS_SERVER_BIN=${explicit} is not an executable file.`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    if (isExecutable(candidate)) return candidate;
  }
  throw new RedisServerMissingError(
    [
      'redis-server was not found on PATH; the integration and end-to-end tests start their own Redis.',
      'Install it:  sudo apt-get install -y redis-server   (Debian/Ubuntu; .ci/run does this)',
      '             brew install redis                     (macOS)',
      'or point REDIS_SERVER_BIN at a redis-server binary (Redis 7 or newer).',
    ].join('\n'),
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
