import { setTimeout as sleep } from 'node:timers/promises';
import { findRedisServer, pingRedis } from '@tally/testing';
import { type Child, formatExit, startChild } from './child-process.js';
import { guardedChild, inheritedEnv } from './node-entry.js';

const READY_TIMEOUT_MS = 20_000;

/**
 * redis-server on 127.0.0.1:`port` with every write fsynced (`appendfsync always`), its AOF in
 * `dir`; resolves once it answers PING (the AOF is loaded).
 */
export async function startLocalRedis(options: { port: number; dir: string; onLine: (line: string) => void }): Promise<Child> {
  const redisArgs = [
    ...['--port', String(options.port), '--bind', '127.0.0.1', '--dir', options.dir, '--save', ''],
    ...['--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no'],
  ];
  const child = await startChild({
    name: 'redis',
    ...guardedChild(findRedisServer(), redisArgs),
    env: inheritedEnv(),
    onLine: options.onLine,
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exit: string | undefined;
  void child.exited.then((e) => (exit = formatExit(e)));
  while (!(await pingRedis(options.port))) {
    if (exit !== undefined) throw new Error(`redis-server exited (${exit}) before answering PING:\n  ${child.lastLines().join('\n  ')}`);
    if (Date.now() > deadline) {
      await child.kill();
      throw new Error(`redis-server on port ${options.port} did not answer PING within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await sleep(50);
  }
  return child;
}
