import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isAlive, startProcess, stopAll, tsEntryCommand, waitFor } from '@tally/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { descendants, launcherEnv, runLauncher, startLauncher } from '../test/launcher.fixture.js';

afterAll(() => stopAll());

describe('npm start', { timeout: 240_000 }, () => {
  it('is found by the CLI without any variable, and leaves no child behind when SIGKILLed', async () => {
    const stack = await startLauncher(await launcherEnv());

    // The banner's line, pasted as is: no REDIS_URL or MONGO_URL, the stack file says where.
    const { command, args, cwd } = tsEntryCommand('apps/admin/src/cli.ts');
    const cli = await startProcess({
      name: 'tally-cli',
      command,
      args: [...args, 'tokens', 'create', '--workspace', 'acme'],
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TALLY_STATE_DIR: stack.stateDir },
    });
    expect((await cli.exited).code).toBe(0);
    expect(cli.lines[0]).toMatch(/^tally: using the stack of npm start \(pid \d+/);
    const token = cli.lines.find((line) => line.startsWith('tly_')) ?? '';
    await waitFor(
      async () =>
        (await fetch(`${stack.apiUrl}/events?type=user&user_id=x&summary=true`, { headers: { authorization: `Bearer ${token}` } }))
          .status !== 401,
      { timeoutMs: 20_000, message: 'the token issued by the CLI accepted by the stack' },
    );

    // The banner's export line names the workspace of its token, and runs as printed (into a
    // temporary directory rather than the checkout).
    expect(stack.proc.lines.some((line) => /^\s+Token\s+dev-token-change-me\s+\(workspace default\)$/.test(line))).toBe(true);
    const words = (stack.proc.lines.find((line) => line.includes('tally -- export')) ?? '').trim().split(/\s+/);
    const exportArgs = words.slice(words.indexOf('--') + 1);
    expect(exportArgs).toEqual(['export', '--workspace', 'default', '--out', 'default.ndjson']);
    const outDir = mkdtempSync(join(tmpdir(), 'banner-export-'));
    const exported = await startProcess({
      name: 'tally-export',
      command,
      args: [...args, ...exportArgs.slice(0, -1), join(outDir, 'default.ndjson')],
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TALLY_STATE_DIR: stack.stateDir },
    });
    expect((await exported.exited).code, exported.lines.join('\n')).toBe(0);
    expect(exported.lines.at(-1)).toMatch(/^export: 0 summaries of workspace default written to /);
    rmSync(outDir, { recursive: true, force: true });

    // The banner lists each process's Prometheus endpoint (free ports), and each one answers.
    const metricsUrls = stack.proc.lines.flatMap((line) => /^\s+Metrics\s+(http\S+)/.exec(line)?.[1] ?? []);
    expect(metricsUrls).toHaveLength(3);
    for (const url of metricsUrls) expect((await fetch(url)).status).toBe(200);

    // A second npm start over the same state directory (other ports, so the port check passes)
    // names the running one and how to stop it, and touches neither its Redis nor its stack file.
    const second = await runLauncher({ ...stack.env, PORT: String(await freePort()), ADMIN_PORT: String(await freePort()) });
    expect((await second.exited).code, second.lines.join('\n')).toBe(1);
    expect(second.lines.join('\n')).toContain(
      `npm start is already running with ${stack.stateDir} (pid ${stack.proc.pid}, API ${stack.apiUrl}): stop it first`,
    );
    expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(200);

    const children = descendants(stack.proc.pid);
    // redis (and its guard), the emulator, ingress, worker, admin
    expect(children.length).toBeGreaterThanOrEqual(6);
    stack.proc.signal('SIGKILL');
    await waitFor(() => children.every((pid) => !isAlive(pid)), { timeoutMs: 5_000, message: 'every child of the launcher gone' });
  });

  it('fails within seconds, in one line naming the URL, when REDIS_URL does not answer', async () => {
    const url = `redis://:secret@127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const proc = await runLauncher({ ...(await launcherEnv()), REDIS_URL: url });
    const exit = await proc.exited;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(exit.code).toBe(1);
    expect(proc.lines).toHaveLength(1);
    expect(proc.lines[0]).toMatch(/^npm start: REDIS_URL=redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ does not answer \(ECONNREFUSED\)/);
    expect(proc.lines[0]).toContain('unset REDIS_URL to let npm start run its own Redis');
  });

  it('starts Redis empty with the in-memory emulator: a replayed Idempotency-Key after a restart is counted again', async () => {
    const env = await launcherEnv();
    const send = (apiUrl: string) =>
      fetch(`${apiUrl}/events/summaries`, {
        method: 'POST',
        headers: { authorization: 'Bearer dev-token-change-me', 'content-type': 'application/json', 'idempotency-key': 'restart-1' },
        body: JSON.stringify({ user_id: 'u1', event_summaries: { event_name: 'signed-up', count: 3, first: 1_700_000_000 } }),
      });
    const count = async (apiUrl: string) => {
      const res = await fetch(`${apiUrl}/events?type=user&user_id=u1&summary=true`, {
        headers: { authorization: 'Bearer dev-token-change-me' },
      });
      const body = (await res.json()) as { events?: { count: number }[] };
      return body.events?.[0]?.count ?? 0;
    };

    const first = await startLauncher(env);
    expect((await send(first.apiUrl)).status).toBe(200);
    await waitFor(async () => (await count(first.apiUrl)) === 3, { timeoutMs: 15_000, message: 'the summary applied' });
    first.proc.signal('SIGINT');
    expect((await first.proc.exited).code).toBe(0);

    const second = await startLauncher(env);
    const replay = await send(second.apiUrl);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBeNull();
    await waitFor(async () => (await count(second.apiUrl)) === 3, { timeoutMs: 15_000, message: 'the summary applied again' });
    second.proc.signal('SIGINT');
    await second.proc.exited;
  });
});
