import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForLog } from './app-process.js';
import { isAlive } from './is-alive.js';
import { type StartProcessOptions, startProcess } from './managed-process.js';
import { stopAll } from './process-registry.js';

const fakeApp = fileURLToPath(new URL('../fixtures/fake-app.mjs', import.meta.url));

function startFake(env: Record<string, string> = {}, extra: Partial<StartProcessOptions> = {}) {
  return startProcess({
    name: 'fake',
    command: process.execPath,
    args: [fakeApp],
    env: { ...process.env, ...env },
    ...extra,
  });
}

afterAll(stopAll);

describe('startProcess', { timeout: 30_000 }, () => {
  it('captures stdout and stderr line by line, past and future', async () => {
    const seen: string[] = [];
    const proc = await startFake({ FAKE_VALUE: 'v1' }, { onLine: (line, stream) => seen.push(`${stream}:${line}`) });
    const ready = await waitForLog(proc, 'fake ready');
    expect(ready.url).toBe('http://127.0.0.1:1234');
    expect(await proc.waitForLine(/plain text on stderr/)).toBe('plain text on stderr');
    expect(await proc.waitForLine(/"env":"v1"/)).toContain('"msg":"tick"');
    expect(seen).toContain('stderr:plain text on stderr');
    expect(await proc.kill()).toEqual({ code: 0, signal: null });
    expect(proc.lines.some((line) => line.includes('"msg":"stopping"'))).toBe(true);
  });

  it('escalates to SIGKILL when the child ignores SIGTERM', async () => {
    const proc = await startFake({ FAKE_IGNORE_SIGTERM: '1' });
    await waitForLog(proc, 'fake ready');
    expect(await proc.kill('SIGTERM', 300)).toEqual({ code: null, signal: 'SIGKILL' });
    await proc.waitForLine(/ignoring SIGTERM/);
  });

  it('rejects waitForLine with the last output when the process exits first', async () => {
    const proc = await startFake({ FAKE_EXIT_CODE: '2' });
    await expect(proc.waitForLine(/never printed/)).rejects.toThrow(/fake exited.*code 2.*plain text on stderr/s);
    expect(await proc.exited).toEqual({ code: 2, signal: null });
  });

  it('rejects waitForLine on timeout, naming what it waited for', async () => {
    const proc = await startFake();
    await expect(proc.waitForLine(/never printed/, 200)).rejects.toThrow(/did not print \/never printed\/ within 200 ms/);
    await proc.kill();
  });

  it('throws when the command does not exist', async () => {
    await expect(startProcess({ name: 'nope', command: '/nonexistent/binary', args: [] })).rejects.toThrow(/ENOENT/);
  });

  it('stopAll stops every process still running', async () => {
    const procs = await Promise.all([startFake(), startFake()]);
    await Promise.all(procs.map((proc) => waitForLog(proc, 'fake ready')));
    await stopAll();
    for (const proc of procs) {
      expect(proc.exit).toEqual({ code: 0, signal: null });
      expect(isAlive(proc.pid)).toBe(false);
    }
  });

  it('pauses and resumes with SIGSTOP/SIGCONT, and still stops a paused child', async () => {
    const proc = await startFake();
    await waitForLog(proc, 'fake ready');
    proc.signal('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 100)); // let in-flight output drain
    const count = proc.lines.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(proc.lines.length).toBe(count);
    expect(await proc.kill('SIGTERM', 2000)).toEqual({ code: 0, signal: null });
  });
});
