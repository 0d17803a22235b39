import { join } from 'node:path';
import { consumerConnection, JOB_CATALOG, JOBS, Queue, queueName } from '@tally/queue';
import { type AppProcess, repoRoot, startApp, waitFor, waitForLog } from '@tally/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './support/chromium.js';
import { client } from './support/client.js';
import { type Stack, startStack } from './support/stack.js';

const ADMIN = { username: 'admin', password: 'bull-board-e2e-password' };
/** The screenshot in docs/operations.md is the one this test takes. */
const SCREENSHOT = join(repoRoot(), 'docs/images/bull-board.png');

describe('Bull Board in a real browser (headless Chromium)', () => {
  let stack: Stack;
  let admin: AppProcess;
  let queue: Queue;
  let browser: Browser;
  let board = '';
  let poisonId = '';

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await startApp('admin', { env: { ...stack.env, ADMIN_PORT: '0', ADMIN_USER: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } });
    board = String((await waitForLog(admin, 'admin listening')).board);
    queue = new Queue(queueName('summaries'), { connection: consumerConnection(stack.redis.url), prefix: stack.env.QUEUE_PREFIX! });
    // Two good requests and one job no ingress would produce (a negative count): a failed job.
    const api = client(stack.ingresses[0]!.url);
    for (const user of ['ada', 'bob']) {
      expect(
        (await api.postSummaries({ user_id: user, event_summaries: { event_name: 'signed-up', count: 1, first: 1, last: 1 } })).status,
      ).toBe(200);
    }
    const poison = await queue.add(
      JOBS.applySummaries,
      {
        v: 1,
        requests: [
          { requestId: 'r-poison', workspace: 'acme', summaries: [{ user_id: 'x', event_name: 'e', count: -4, first: 1, last: 1 }] },
        ],
      },
      JOB_CATALOG[JOBS.applySummaries].options,
    );
    poisonId = poison.id!;
    await waitFor(async () => (await queue.getJobCounts('failed', 'completed')).failed === 1, {
      timeoutMs: 20_000,
      message: 'no failed job',
    });
    await waitFor(async () => ((await queue.getJobCounts('completed')).completed ?? 0) >= 1, {
      timeoutMs: 20_000,
      message: 'no completed job',
    });
    browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await queue?.close();
    await stack?.stop();
  });

  it('refuses a visit without credentials', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Headless Chromium has nobody to ask for a password: the 401 ends the navigation with an error.
    const [response, navigation] = await Promise.all([
      page.waitForResponse((r) => r.url() === board),
      page.goto(board).then(
        () => 'loaded',
        (error: Error) => error.message,
      ),
    ]);
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toMatch(/^Basic /);
    expect(navigation).toMatch(/ERR_INVALID_AUTH_CREDENTIALS/);
    await context.close();
  });

  it('lists the summaries queue with its counts after login, and opens a failed job', async () => {
    const context = await browser.newContext({ httpCredentials: ADMIN, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const response = await page.goto(board);
    expect(response?.status()).toBe(200);
    const card = page.locator('a', { hasText: 'summaries' }).first();
    await card.waitFor();
    const completed = (await queue.getJobCounts('completed')).completed;
    // The overview card shows each state's count as Bull Board reads it from Redis.
    await expect
      .poll(async () => ((await page.locator('body').textContent()) ?? '').replace(/\s+/g, ' '), { timeout: 15_000 })
      .toMatch(/Failed\s*1/i);
    expect(((await page.locator('body').textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(new RegExp(`Completed\\s*${completed}`, 'i'));
    await page.screenshot({ path: SCREENSHOT });

    const detail = await page.goto(`${board}/queue/summaries/${poisonId}`);
    expect(detail?.status()).toBe(200);
    await expect
      .poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 15_000 })
      .toContain(`malformed ${JOBS.applySummaries} payload`);
    await context.close();
  });
});
