import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '@tally/testing';

/**
 * Guards `.tally/redis/` against two Redis servers appending to the same AOF, which corrupts
 * it. Local-stack starts Redis in its own process group (so Ctrl-C stops it last); if the
 * launcher itself is SIGKILLed, that Redis survives and the next `npm start` must not start a
 * second one on another port over the same directory.
 */
export const redisOwnerFile = {
  /** Throws, saying how to fix it, if a Redis recorded in `dir` is still running. */
  assertNoneRunning(dir: string): void {
    const file = join(dir, 'local-stack.pid');
    if (!existsSync(file)) return;
    const [pid, port] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    if (pid !== undefined && pid > 0 && isRedis(pid)) {
      throw new Error(
        `a Redis from an earlier "npm start" (pid ${pid}, port ${port}) still uses ${dir}.\n` +
          `Stop it with "kill ${pid}" and run npm start again.`,
      );
    }
    rmSync(file, { force: true });
  },

  record(dir: string, pid: number, port: number): void {
    writeFileSync(join(dir, 'local-stack.pid'), `${pid} ${port}\n`);
  },

  clear(dir: string): void {
    rmSync(join(dir, 'local-stack.pid'), { force: true });
  },
};

function isRedis(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return true; // no /proc (macOS): a live pid is reason enough to stop and ask
  }
}
