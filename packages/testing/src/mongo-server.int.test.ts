import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { isAlive } from './is-alive.js';
import { startMongo } from './mongo-server.js';
import { stopAll } from './process-registry.js';
import { waitFor } from './wait-for.js';

// These tests exercise the fixture itself (in-process, child process, external), so they clear
// MONGO_URL where they need the emulator; the emulator's own suite tests the wire protocol.
afterEach(() => vi.unstubAllEnvs());
afterAll(stopAll);

/** Resolves true if a TCP connection to the URI's host:port is accepted. */
function accepts(uri: string): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Linux process state letter: R/S running or sleeping, T stopped. */
const state = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];

describe('startMongo', { timeout: 60_000 }, () => {
  it('uses MONGO_URL as an external server and refuses to pause, resume or kill it', async () => {
    vi.stubEnv('MONGO_URL', 'mongodb://user:secret@db.example:27017/?replicaSet=rs0');
    const mongo = await startMongo({ childProcess: true });
    expect(mongo).toMatchObject({ uri: 'mongodb://user:secret@db.example:27017/?replicaSet=rs0', external: true });
    expect(mongo.pid).toBeUndefined();
    await expect(mongo.pause()).rejects.toThrow(/not possible against an external MongoDB/);
    await expect(mongo.kill()).rejects.toThrow(/not possible against an external MongoDB/);
    await expect(mongo.resume()).rejects.toThrow(/user:\*\*\*@db\.example/);
    await mongo.stop();
  });

  it('starts the emulator in-process by default', async () => {
    vi.stubEnv('MONGO_URL', '');
    const mongo = await startMongo();
    expect(mongo.external).toBe(false);
    expect(mongo.uri).toMatch(/^mongodb:\/\//);
    expect(await accepts(mongo.uri)).toBe(true);
    await expect(mongo.pause()).rejects.toThrow(/childProcess: true/);
    await mongo.stop();
    expect(await accepts(mongo.uri)).toBe(false);
    await mongo.stop(); // idempotent
  });

  it('starts the emulator as a child process that can be paused, resumed and killed', async () => {
    vi.stubEnv('MONGO_URL', '');
    const mongo = await startMongo({ childProcess: true });
    const pid = mongo.pid as number;
    expect(pid).toBeGreaterThan(0);
    expect(await accepts(mongo.uri)).toBe(true);
    await mongo.pause();
    await waitFor(() => state(pid) === 'T', { message: 'the emulator to be stopped' });
    await mongo.resume();
    await waitFor(() => state(pid) !== 'T', { message: 'the emulator to run again' });
    await mongo.kill();
    expect(isAlive(pid)).toBe(false);
    expect(await accepts(mongo.uri)).toBe(false);
  });

  it('stops a paused child process', async () => {
    vi.stubEnv('MONGO_URL', '');
    const mongo = await startMongo({ childProcess: true });
    await mongo.pause();
    await mongo.stop();
    expect(isAlive(mongo.pid as number)).toBe(false);
  });
});
