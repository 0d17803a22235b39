import { waitFor } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from './support/client.js';
import { type Stack, startStack, TOKENS } from './support/stack.js';
import { storedCounts, waitForDrained } from './support/totals.js';

/**
 * One workspace's bad bytes must never cost another workspace its data: what the store cannot
 * hold is refused at the door, so it never shares a batch with anyone's good request.
 */
describe('hostile input end to end: two ingress replicas, one worker', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ingresses: 2, workers: 1 });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it("refuses beta's lone surrogate with 400 and applies acme's summary sent with it within seconds", async () => {
    const [one, two] = stack.ingresses.map((i) => i.url) as [string, string];
    const [poison, innocent] = await Promise.all([
      client(one, 'beta').postSummaries({ user_id: 'victim\ud800', event_summaries: { event_name: 'e', count: 1 } }),
      client(one, 'acme').postSummaries({ user_id: 'innocent', event_summaries: { event_name: 'signed-up', count: 1 } }),
    ]);
    expect(poison.status).toBe(400);
    expect(innocent.status).toBe(200);
    await waitFor(async () => (await storedCounts(stack, 'acme')).get('innocent/signed-up') === 1, {
      timeoutMs: 10_000,
      message: "acme's innocent summary to be applied",
    });
    expect((await fetch(`${two}/readyz`)).status).toBe(200);
  });

  it('counts one raw event sent three times with three different Idempotency-Keys once', async () => {
    const acme = client(stack.ingresses[0]!.url, 'acme');
    const event = { event_name: 'placed-order', created_at: 1671028894, user_id: 'triple' };
    for (const key of ['evt-key-1', 'evt-key-2', 'evt-key-3'])
      expect((await acme.postEvent(event, { 'idempotency-key': key })).status).toBe(202);
    await waitForDrained(stack);
    expect((await storedCounts(stack, 'acme')).get('triple/placed-order')).toBe(1);
  });

  it('never answers two 200s for one key and two bodies racing on two replicas; stored totals are exactly the 200s', async () => {
    const [one, two] = stack.ingresses.map((i) => i.url) as [string, string];
    let promised = 0;
    for (let round = 0; round < 50; round++) {
      const key = `race-${round}`;
      const replies = await Promise.all(
        [
          [one, 1],
          [two, 100],
        ].map(([url, count]) =>
          client(url as string, 'acme').postSummaries(
            { user_id: 'racer', event_summaries: { event_name: 'e', count } },
            { 'idempotency-key': key },
          ),
        ),
      );
      const codes = replies.map((r) => r.status);
      expect(
        codes.filter((c) => c === 200),
        `round ${round}: ${codes}`,
      ).toHaveLength(1);
      expect(
        codes.every((c) => c === 200 || c === 422 || c === 409),
        `round ${round}: ${codes}`,
      ).toBe(true);
      promised += codes[0] === 200 ? 1 : 100;
    }
    await waitForDrained(stack);
    expect((await storedCounts(stack, 'acme')).get('racer/e')).toBe(promised);
  });

  it('keeps the good traffic applied and /readyz at 200 while 2,000 poison requests arrive', async () => {
    const [one, two] = stack.ingresses.map((i) => i.url) as [string, string];
    const poisons: (string | Buffer)[] = [
      '{"user_id":"p\\ud800","event_summaries":{"event_name":"e"}}',
      '{"user_id":"p\\u0000","event_summaries":{"event_name":"e"}}',
      Buffer.concat([Buffer.from('{"user_id":"p'), Buffer.from([0xff]), Buffer.from('","event_summaries":{"event_name":"e"}}')]),
      `{"user_id":"p","event_summaries":{"event_name":"e"},"x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    ];
    const postRaw = (url: string, body: string | Buffer) =>
      fetch(`${url}/events/summaries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.beta}`, 'content-type': 'application/json' },
        body,
      }).then((r) => r.status);
    const statuses = new Map<number, number>();
    let good = 0;
    for (let wave = 0; wave < 40; wave++) {
      const wavePoison = Array.from({ length: 50 }, (_, n) => postRaw(n % 2 ? one : two, poisons[n % poisons.length]!));
      const waveGood = client(wave % 2 ? one : two, 'acme').postSummaries({
        user_id: 'steady',
        event_summaries: { event_name: 'e', count: 1 },
      });
      const [codes, goodReply] = await Promise.all([Promise.all(wavePoison), waveGood]);
      for (const c of codes) statuses.set(c, (statuses.get(c) ?? 0) + 1);
      expect(goodReply.status).toBe(200);
      good++;
      if (wave % 10 === 9) for (const url of [one, two]) expect((await fetch(`${url}/readyz`)).status).toBe(200);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 400: 2000 });
    await waitFor(async () => (await storedCounts(stack, 'acme')).get('steady/e') === good, {
      timeoutMs: 20_000,
      message: 'every good summary to be applied',
    });
  });
});
