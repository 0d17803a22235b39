import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive } from './is-alive.js';
import { startProcess } from './managed-process.js';
import { tsEntryCommand } from './repo-root.js';
import { waitFor } from './wait-for.js';

const parent = fileURLToPath(new URL('../fixtures/orphan-parent.ts', import.meta.url));

/** Runs a separate Node process that starts a Redis through the fixtures, then dies. */
async function parentThatDies(how: 'exit' | 'signal') {
  const { command, args, cwd } = tsEntryCommand(parent);
  const proc = await startProcess({ name: `parent-${how}`, command, args, cwd, env: { ...process.env, FAKE_PARENT_DEATH: how } });
  const line = await proc.waitForLine(/^REDIS_PID=/, 20_000);
  const [, pid, dir] = /^REDIS_PID=(\d+) DIR=(\S+)/.exec(line) ?? [];
  return { proc, redisPid: Number(pid), dir: dir as string };
}

describe('no orphans', { timeout: 60_000 }, () => {
  it('kills what a test process started when it exits without stopping it', async () => {
    const { proc, redisPid, dir } = await parentThatDies('exit');
    expect((await proc.exited).code).toBe(3);
    await waitFor(() => !isAlive(redisPid), { timeoutMs: 3000, message: `redis-server ${redisPid} to be gone` });
    expect(existsSync(dir)).toBe(false);
  });

  it('kills what a test process started when it is terminated by a signal', async () => {
    const { proc, redisPid } = await parentThatDies('signal');
    expect(isAlive(redisPid)).toBe(true);
    expect(await proc.kill('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    await waitFor(() => !isAlive(redisPid), { timeoutMs: 3000, message: `redis-server ${redisPid} to be gone` });
  });
});
