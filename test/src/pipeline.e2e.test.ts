import { consumerConnection, Queue, queueName } from '@tally/queue';
import { COLLECTIONS } from '@tally/store';
import { waitFor } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from './support/client.js';
import { QUICK_STALL_ENV, type Stack, startStack } from './support/stack.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('Z', '+00:00');

describe('the pipeline end to end: ingress and workers as processes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ingresses: 1, workers: 2 });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('counts single and batched summaries of several users, exactly, and reads them back', async () => {
    const acme = client(stack.ingresses[0]!.url);
    const posts = [
      acme.postSummaries({
        user_id: 'alice',
        event_summaries: { event_name: 'invited-friend', count: 1, first: 1671028894, last: 1671028894 },
      }),
      acme.postSummaries({
        user_id: 'alice',
        event_summaries: { event_name: 'invited-friend', count: 4, first: 1671000000, last: 1671020000 },
      }),
      acme.postSummaries({
        user_id: 'alice',
        event_summaries: [
          { event_name: 'invited-friend', count: 2, first: 1671030000, last: 1671040000 },
          { event_name: 'placed-order', first: 1671050000 },
        ],
      }),
      acme.postSummaries({
        user_id: 'bob',
        event_summaries: [
          { event_name: 'placed-order', count: 3, last: 1671060000 },
          { event_name: 'placed-order', count: 2, first: 1671070000, last: 1671080000 },
        ],
      }),
    ];
    const replies = await Promise.all(posts);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await replies[0]!.text()).toBe('');
    expect(replies[0]!.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const alice = await waitFor(
      async () => {
        const s = await acme.summary('alice');
        return s.events.find((e) => e.name === 'invited-friend')?.count === 7 && s.events.length === 2 ? s : null;
      },
      { timeoutMs: 20_000, message: 'alice never reached 7 invited-friend' },
    );
    expect(alice).toEqual({
      type: 'event.summary',
      user_id: 'alice',
      email: null,
      intercom_user_id: null,
      events: [
        { name: 'invited-friend', count: 7, first: iso(1671000000), last: iso(1671040000), description: null },
        { name: 'placed-order', count: 1, first: iso(1671050000), last: iso(1671050000), description: null },
      ],
    });
    const bob = await waitFor(
      async () => {
        const s = await acme.summary('bob');
        return s.events[0]?.count === 5 ? s : null;
      },
      { timeoutMs: 20_000, message: 'bob never reached 5' },
    );
    expect(bob.events).toEqual([{ name: 'placed-order', count: 5, first: iso(1671060000), last: iso(1671080000), description: null }]);
  });

  it('shows a workspace only its own summaries', async () => {
    const acme = client(stack.ingresses[0]!.url, 'acme');
    const beta = client(stack.ingresses[0]!.url, 'beta');
    expect(
      (await beta.postSummaries({ user_id: 'carol', event_summaries: { event_name: 'x', count: 9, first: 100, last: 100 } })).status,
    ).toBe(200);
    expect(
      (await acme.postSummaries({ user_id: 'carol', event_summaries: { event_name: 'x', count: 1, first: 100, last: 100 } })).status,
    ).toBe(200);
    await waitFor(async () => (await beta.summary('carol')).events[0]?.count === 9, { timeoutMs: 20_000 });
    await waitFor(async () => (await acme.summary('carol')).events[0]?.count === 1, { timeoutMs: 20_000 });
    expect((await beta.summary('alice')).events).toEqual([]);
  });

  it('counts a raw event once however often it is sent (Intercom de-duplication key)', async () => {
    const acme = client(stack.ingresses[0]!.url);
    const event = { event_name: 'signed-up', created_at: 1671028894, user_id: 'dave', metadata: { plan: 'pro' } };
    const replies = await Promise.all([acme.postEvent(event), acme.postEvent(event), acme.postEvent({ ...event, created_at: 1671028895 })]);
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202]);
    expect((await acme.postEvent(event)).headers.get('idempotent-replayed')).toBe('true');
    const dave = await waitFor(
      async () => {
        const s = await acme.summary('dave');
        return s.events[0]?.count === 2 ? s : null;
      },
      { timeoutMs: 20_000, message: 'dave never reached 2' },
    );
    // Nothing left that could land late: the queue is quiet.
    await stack.quiescent();
    expect((await acme.summary('dave')).events).toEqual([
      { name: 'signed-up', count: 2, first: iso(1671028894), last: iso(1671028895), description: null },
    ]);
    expect(dave.events[0]?.count).toBe(2);
  });

  it('answers errors with Intercom bodies over real HTTP', async () => {
    const url = stack.ingresses[0]!.url;
    const unauthorized = await fetch(`${url}/events/summaries`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong-token-123', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({
      type: 'error.list',
      request_id: unauthorized.headers.get('x-request-id'),
      errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }],
    });
    const notFound = await fetch(`${url}/nope`);
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('not_found');
  });
});

describe('a worker killed after its transaction committed, before BullMQ heard of it', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ingresses: 1, workers: 0, env: QUICK_STALL_ENV });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('does not count the retried job twice', async () => {
    const crashing = await stack.addWorker({}, 'test/src/fixtures/crash-after-commit.worker.ts');
    const acme = client(stack.ingresses[0]!.url);
    expect(
      (await acme.postSummaries({ user_id: 'erin', event_summaries: { event_name: 'e', count: 3, first: 10, last: 20 } })).status,
    ).toBe(200);
    const exit = await crashing.exited;
    expect(exit.signal).toBe('SIGKILL');
    // Applied in MongoDB, but BullMQ still thinks the job is running.
    const ledger = await stack.db.db.collection(COLLECTIONS.ingestLedger).find({ kind: 'job' }).toArray();
    expect(ledger).toHaveLength(1);
    expect((await acme.summary('erin')).events[0]?.count).toBe(3);

    await stack.addWorker();
    const queue = new Queue(queueName('summaries'), { connection: consumerConnection(stack.redis.url), prefix: stack.env.QUEUE_PREFIX! });
    try {
      const [done] = await waitFor(
        async () => {
          const completed = await queue.getCompleted();
          return completed.length === 1 ? completed : null;
        },
        { timeoutMs: 30_000, message: 'the stalled job was never completed by the second worker' },
      );
      // The second worker found the job in the ledger and applied nothing.
      expect(done?.returnvalue).toEqual({ status: 'already-applied' });
    } finally {
      await queue.close();
    }
    expect((await acme.summary('erin')).events).toEqual([{ name: 'e', count: 3, first: iso(10), last: iso(20), description: null }]);
  });
});
