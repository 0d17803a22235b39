import { type RedisServer, startApp, startRedis, stopAll, uniqueName, waitForLog } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
});
afterAll(async () => {
  await stopAll();
});

describe('npm run start:admin', { timeout: 60_000 }, () => {
  it('logs "admin listening" with its url, serves the board behind Basic auth, and stops on SIGTERM', async () => {
    const admin = await startApp('admin', {
      env: { REDIS_URL: redis.url, QUEUE_PREFIX: uniqueName('main'), ADMIN_PORT: '0', ADMIN_PASSWORD: 'main-test-password' },
    });
    const ready = await waitForLog(admin, 'admin listening');
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const url = String(ready.url);
    expect((await fetch(`${url}/admin/queues`)).status).toBe(401);
    const authorization = `Basic ${Buffer.from('admin:main-test-password').toString('base64')}`;
    const board = await fetch(`${url}/admin/queues`, { headers: { authorization } });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('<base href="/admin/queues/"');
    const overview = await fetch(`${url}/admin/api/overview`, { headers: { authorization } });
    expect(await overview.json()).toMatchObject({ queue: 'summaries', failed: 0 });
    expect(await admin.kill('SIGTERM')).toBe(0);
  });

  it('refuses to start without ADMIN_PASSWORD (exit 78) and says why', async () => {
    const admin = await startApp('admin', { env: { REDIS_URL: redis.url, ADMIN_PORT: '0', ADMIN_PASSWORD: '' } });
    const exit = await admin.exited;
    expect(exit.code).toBe(78);
    expect(admin.lines.join('\n')).toMatch(/ADMIN_PASSWORD: must be at least 8 characters/);
  });
});
