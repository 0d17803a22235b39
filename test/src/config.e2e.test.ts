import { startApp, stopAll } from '@tally/testing';
import { afterAll, describe, expect, it } from 'vitest';

describe('a process with a bad configuration', () => {
  afterAll(async () => {
    await stopAll();
  });

  it.each(['ingress', 'worker'] as const)('%s lists every problem at once and exits 78 before connecting', async (app) => {
    const proc = await startApp(app, {
      env: { PORT: 'eighty', MONGO_URL: 'http://not-mongo', REDIS_URL: 'nope', WORKER_CONCURRENCY: '0', TALLY_TOKENS: 'acme:token-0001' },
    });
    const exit = await proc.exited;
    expect(exit.code).toBe(78);
    const output = proc.lines.join('\n');
    expect(output).toContain(`${app}: Invalid configuration`);
    expect(output).toContain('MONGO_URL');
    expect(output).toContain('REDIS_URL');
    expect(output).toContain(app === 'ingress' ? 'PORT' : 'WORKER_CONCURRENCY');
  });
});
