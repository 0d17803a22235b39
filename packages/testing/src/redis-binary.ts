import { findExecutable } from './find-executable.js';

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
  const found = findExecutable('REDIS_SERVER_BIN', ['redis-server'], env);
  if ('path' in found) return found.path;
  if (found.missing === 'override-not-executable') {
    throw new RedisServerMissingError(`REDIS_SERVER_BIN=${found.override} is not an executable file.`);
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
