import { freePort, startProcess, stopAll, tsEntryCommand, uniqueName } from '@tally/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openReadStore } from './read-store.js';

afterAll(() => stopAll());

describe('openReadStore', { timeout: 60_000 }, () => {
  // An emulator of its own, whatever MONGO_URL says: the test freezes it with SIGSTOP.
  it('bounds a read by READ_TIMEOUT_MS, and no driver timeout cuts it short before that', async () => {
    const port = await freePort();
    const { command, args, cwd } = tsEntryCommand('packages/mongo-emulator/src/cli.ts');
    const emulator = await startProcess({ name: 'mongo', command, args: [...args, '--port', String(port)], cwd });
    const line = await emulator.waitForLine(/listening on mongodb:\/\//, 30_000);
    const url = /listening on (mongodb:\/\/\S+)/.exec(line)?.[1] ?? '';

    // Past the 2 s connect and server-selection timeouts the ingress used to hard-code.
    const readTimeoutMs = 4_500;
    const config = { MONGO_URL: url, MONGO_DB: uniqueName('read'), READ_TIMEOUT_MS: readTimeoutMs };
    const warm = openReadStore(config);
    expect(await warm.summaries.findByUser('acme', { kind: 'user_id', value: 'u1' })).toEqual([]);

    emulator.signal('SIGSTOP'); // a hung server: connections open, nothing answers
    for (const store of [warm, openReadStore(config)]) {
      const started = Date.now();
      await expect(store.summaries.findByUser('acme', { kind: 'user_id', value: 'u1' })).rejects.toThrow(
        `MongoDB did not answer within ${readTimeoutMs} ms`,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(readTimeoutMs - 50);
      await store.close();
    }
    emulator.signal('SIGCONT');
  });
});
