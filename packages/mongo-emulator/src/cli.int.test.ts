import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the CLI the way other packages do and waits for its "listening on" line. */
async function startCli(extra: string[] = []): Promise<{ child: ChildProcess; uri: string; stderr: () => string }> {
  const child = spawn(process.execPath, ['--conditions=tally-source', '--import', 'tsx', CLI, '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (mongodb:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`cli exited early with ${String(code)}: ${err}`)));
  });
  return { child, uri, stderr: () => err };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('the emulator CLI', () => {
  it('prints its URI and an in-memory warning, serves the driver, and exits cleanly on SIGTERM', async () => {
    const { child, uri, stderr } = await startCli();
    expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/\?replicaSet=/);
    expect(stderr()).toMatch(/IN MEMORY ONLY/);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
    await client.db('cli').collection('c').insertOne({ a: 1 });
    expect(await client.db('cli').collection('c').countDocuments()).toBe(1);
    await client.close();
    const done = exited(child);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  }, 20_000);

  it('survives SIGSTOP/SIGCONT: requests hang while stopped and are served after', async () => {
    const { child, uri } = await startCli();
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
    await client.db('admin').command({ ping: 1 });
    child.kill('SIGSTOP');
    let answered = false;
    const ping = client
      .db('admin')
      .command({ ping: 1 })
      .then(() => {
        answered = true;
      });
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    child.kill('SIGCONT');
    await ping;
    expect(answered).toBe(true);
    await client.close();
    const done = exited(child);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
  }, 20_000);

  it('has configureFailPoint only with --setParameter enableTestCommands=1, as mongod', async () => {
    const plain = await startCli();
    const withTests = await startCli(['--setParameter', 'enableTestCommands=1']);
    const arm = { configureFailPoint: 'failCommand', mode: 'off' };
    const a = new MongoClient(plain.uri, { serverSelectionTimeoutMS: 5000 });
    const b = new MongoClient(withTests.uri, { serverSelectionTimeoutMS: 5000 });
    await expect(a.db('admin').command(arm)).rejects.toMatchObject({ code: 59 });
    expect(await b.db('admin').command(arm)).toMatchObject({ ok: 1, count: 0 });
    await a.close();
    await b.close();
  }, 20_000);

  it('stops on SIGINT', async () => {
    const { child } = await startCli();
    const done = exited(child);
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  }, 20_000);
});
