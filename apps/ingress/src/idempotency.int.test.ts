import { fingerprint } from '@tally/contracts';
import type { Job } from '@tally/queue';
import { startRedis, waitFor } from '@tally/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { IdempotencyReservations } from './enqueue/idempotency-reservations.js';
import type { Ingress } from './ingress.js';
import { useIngresses } from './testing/ingress-fixture.js';
import { headersFor } from './testing/test-ingress.js';

const { ingress, redisUrl } = useIngresses();
const queued = async (i: Ingress) =>
  ((await i.queue.getJobs(['waiting', 'delayed', 'active', 'completed'])) as Job[]).flatMap((j) => j.data.requests);
const acme = headersFor('acme');

describe('Idempotency-Key', () => {
  it('replays a retry whose keys were reordered, whose unknown fields differ, and whose times were defaulted', async () => {
    const i = await ingress();
    const post = (payload: string) =>
      i.app.inject({ method: 'POST', url: '/events/summaries', headers: { ...acme, 'idempotency-key': 'reorder-1' }, payload });
    const first = await post('{"user_id":"u","event_summaries":{"event_name":"e","count":3}}');
    const retry = await post('{"event_summaries":[{"count":3,"event_name":"e"}],"user_id":"u","client":{"sdk":"x"}}');
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await queued(i)).toHaveLength(1);
  });

  it('answers 409 with Retry-After while the first request with the key is in flight, 422 for another body', async () => {
    const i = await ingress();
    const payload = { user_id: 'u', event_summaries: { event_name: 'e', count: 1 } };
    // Another replica holds the key, pending, for this very body.
    const connection = new Redis(redisUrl());
    const elsewhere = new IdempotencyReservations(connection, i.queue.opts.prefix ?? '', 60, { enqueueTimeoutMs: 800, lingerMs: 0 });
    const canonical = { user_id: 'u', event_summaries: [{ event_name: 'e', count: 1 }] };
    expect(await elsewhere.reserve('acme', 'key', 'in-flight-1', fingerprint(canonical), 'other-replica')).toBeNull();
    const post = (body: object) =>
      i.app.inject({ method: 'POST', url: '/events/summaries', headers: { ...acme, 'idempotency-key': 'in-flight-1' }, payload: body });
    const same = await post(payload);
    expect(same.statusCode).toBe(409);
    expect(same.headers['retry-after']).toBe('1');
    expect(same.json()).toMatchObject({ type: 'error.list', errors: [{ code: 'idempotency_key_in_flight', field: 'Idempotency-Key' }] });
    const other = await post({ ...payload, event_summaries: { event_name: 'e', count: 100 } });
    expect(other.statusCode).toBe(422);
    expect(await queued(i)).toHaveLength(0);
    connection.disconnect();
  });

  it('frees a key left pending by a request that is gone (its ingress died, its release was lost) within seconds', async () => {
    const timings = { ENQUEUE_TIMEOUT_MS: '500', BATCH_MAX_WAIT_MS: '0' };
    const i = await ingress(timings);
    const payload = { user_id: 'u', event_summaries: { event_name: 'e', count: 1 } };
    // What another replica with the same settings leaves behind when it dies mid-request.
    const connection = new Redis(redisUrl());
    const gone = new IdempotencyReservations(connection, i.queue.opts.prefix ?? '', 60, { enqueueTimeoutMs: 500, lingerMs: 0 });
    const canonical = { user_id: 'u', event_summaries: [{ event_name: 'e', count: 1 }] };
    expect(await gone.reserve('acme', 'key', 'orphan-1', fingerprint(canonical), 'dead-replica')).toBeNull();
    connection.disconnect();
    const retry = () =>
      i.app.inject({ method: 'POST', url: '/events/summaries', headers: { ...acme, 'idempotency-key': 'orphan-1' }, payload });
    expect((await retry()).statusCode).toBe(409);
    // That request could not still be in flight after its add's deadlines: 3 × 0.5 s + 1 s here.
    await waitFor(async () => (await retry()).statusCode === 200, { timeoutMs: 5000, intervalMs: 250, message: 'the retry taken' });
    expect(await queued(i)).toHaveLength(1);
  }, 15_000);

  it('never answers two 200s for one key and two bodies sent at once to two replicas', async () => {
    const a = await ingress();
    // Two replicas of one deployment: one Redis, one queue prefix.
    const second = await ingress({ QUEUE_PREFIX: a.queue.opts.prefix ?? '' });
    for (let round = 0; round < 50; round++) {
      const key = `race-${round}`;
      const [one, hundred] = await Promise.all(
        [1, 100].map((count, n) =>
          (n === 0 ? a : second).app.inject({
            method: 'POST',
            url: '/events/summaries',
            headers: { ...acme, 'idempotency-key': key },
            payload: { user_id: 'u', event_summaries: { event_name: 'e', count } },
          }),
        ),
      );
      const codes = [one!.statusCode, hundred!.statusCode].sort();
      expect(codes, `round ${round}`).toEqual([200, 422]);
    }
    const requests = await queued(a);
    expect(requests).toHaveLength(50);
    expect(new Set(requests.map((r: { idempotencyKey: string }) => r.idempotencyKey)).size).toBe(50);
  });
});

describe('Idempotency-Key within one micro-batch', () => {
  it('puts one of several requests sent at once with one key into a job, the others answered 409 or 422', async () => {
    const i = await ingress();
    for (let round = 0; round < 20; round++) {
      // Sent together, so they gather in one batch while their reservations are still on the way.
      const answers = await Promise.all(
        [1, 1, 1, 100].map((count) =>
          i.app.inject({
            method: 'POST',
            url: '/events/summaries',
            headers: { ...acme, 'idempotency-key': `batch-${round}` },
            payload: { user_id: 'u', event_summaries: { event_name: 'e', count } },
          }),
        ),
      );
      const codes = answers.map((a) => a.statusCode);
      expect(
        codes.filter((c) => c === 200),
        `round ${round}: ${codes}`,
      ).toHaveLength(1);
      expect(
        codes.every((c) => c === 200 || c === 409 || c === 422),
        `round ${round}: ${codes}`,
      ).toBe(true);
    }
    const requests = await queued(i);
    expect(requests).toHaveLength(20);
    expect(new Set(requests.map((r: { idempotencyKey: string }) => r.idempotencyKey)).size).toBe(20);
  });
});

describe('raw events', () => {
  it('counts one event sent three times with three different Idempotency-Keys once', async () => {
    const i = await ingress();
    const event = { event_name: 'placed-order', created_at: 1671028894, user_id: 'u9' };
    const replies = [];
    for (const key of ['k-a', 'k-b', 'k-c']) {
      replies.push(await i.app.inject({ method: 'POST', url: '/events', headers: { ...acme, 'idempotency-key': key }, payload: event }));
    }
    expect(replies.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    expect(replies.map((r) => r.headers['idempotent-replayed'])).toEqual([undefined, 'true', 'true']);
    const requests = await queued(i);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ keyKind: 'event' });
  });
});

describe('Idempotency-Key on a request refused for a timestamp too far ahead', () => {
  const DAY = 86_400;
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const item = (count: number, at: number) => ({ event_name: 'e', count, first: at, last: at });
  const post = (i: Ingress, key: string, payload: object) =>
    i.app.inject({ method: 'POST', url: '/events/summaries', headers: { ...acme, 'idempotency-key': key }, payload });
  // The replica a re-run reaches two days later: same Redis, same queue prefix, its clock ahead.
  const twoDaysLater = (i: Ingress) => ingress({ QUEUE_PREFIX: i.queue.opts.prefix ?? '' }, { now: () => Date.now() + 2 * DAY * 1000 });

  it('is refused the same way when repeated after the clock has caught up, so lines resent under another key count once', async () => {
    const i = await ingress();
    const ahead = nowSeconds() + DAY + 3600;
    const whole = { user_id: 'u', event_summaries: [item(1, nowSeconds()), item(5, ahead)] };
    // What the import does: the refused line is rejected, its neighbour resent under `<key>.1`.
    const refused = await post(i, 'run-7', whole);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(['event_summaries[1].first', 'event_summaries[1].last']);
    expect((await post(i, 'run-7.1', { user_id: 'u', event_summaries: [whole.event_summaries[0]] })).statusCode).toBe(200);
    // The re-run, once the line is no longer ahead: the first answer stands, nothing is queued.
    const later = await twoDaysLater(i);
    const again = await post(later, 'run-7', whole);
    expect(again.statusCode).toBe(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().errors).toEqual(refused.json().errors);
    const resent = await post(later, 'run-7.1', { user_id: 'u', event_summaries: [whole.event_summaries[0]] });
    expect(resent.headers['idempotent-replayed']).toBe('true');
    expect((await queued(i)).map((r: { idempotencyKey: string }) => r.idempotencyKey)).toEqual(['run-7.1']);
  });

  it('lets the corrected request take the key (milliseconds sent for seconds), and then holds it for that one', async () => {
    const i = await ingress();
    const at = nowSeconds();
    const inMilliseconds = await post(i, 'ms-1', { user_id: 'u', event_summaries: [item(1, at * 1000)] });
    expect(inMilliseconds.statusCode).toBe(400);
    expect(inMilliseconds.json().errors[0].message).toMatch(/looks like milliseconds/);
    const corrected = await post(i, 'ms-1', { user_id: 'u', event_summaries: [item(1, at)] });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    expect((await post(i, 'ms-1', { user_id: 'u', event_summaries: [item(1, at)] })).headers['idempotent-replayed']).toBe('true');
    // The key is the corrected request's now: the first body is another body.
    const first = await post(i, 'ms-1', { user_id: 'u', event_summaries: [item(1, at * 1000)] });
    expect(first.statusCode).toBe(422);
    expect(first.json().errors[0].code).toBe('idempotency_key_reused');
    // A second refusal by the clock, for yet another body, is remembered in place of the first.
    const other = 'ms-2';
    expect((await post(i, other, { user_id: 'u', event_summaries: [item(1, at * 1000)] })).statusCode).toBe(400);
    expect((await post(i, other, { user_id: 'u', event_summaries: [item(2, at * 1000)] })).statusCode).toBe(400);
    const again = await post(i, other, { user_id: 'u', event_summaries: [item(2, at * 1000)] });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await queued(i)).toHaveLength(1);
  });

  it('refuses a repeat sent as one summary (not a batch) with the very errors, fields named as sent', async () => {
    const i = await ingress();
    const single = { user_id: 'u', event_summaries: item(1, nowSeconds() + DAY + 3600) };
    const refused = await post(i, 'single-1', single);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(['event_summaries.first', 'event_summaries.last']);
    const again = await post(await twoDaysLater(i), 'single-1', single);
    expect(again.statusCode).toBe(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().errors).toEqual(refused.json().errors);
  });

  it('is refused the same way when the request also had a line bad in itself', async () => {
    const i = await ingress();
    const ahead = nowSeconds() + DAY + 3600;
    const whole = { user_id: 'u', event_summaries: [item(1, nowSeconds()), item(0, nowSeconds()), item(5, ahead)] };
    const refused = await post(i, 'mixed-1', whole);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'event_summaries[1].count',
      'event_summaries[2].first',
      'event_summaries[2].last',
    ]);
    const later = await twoDaysLater(i);
    const again = await post(later, 'mixed-1', whole);
    expect(again.statusCode).toBe(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().errors).toEqual(refused.json().errors);
  });

  it('is not remembered when the refusal does not depend on the clock: the corrected body takes the key', async () => {
    const i = await ingress();
    const bad = await post(i, 'fix-1', { user_id: 'u', event_summaries: [item(0, nowSeconds())] });
    expect(bad.statusCode).toBe(400);
    const fixed = await post(i, 'fix-1', { user_id: 'u', event_summaries: [item(1, nowSeconds())] });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
  });

  it('answers a replica whose clock already accepts the request as the one that accepted it did', async () => {
    const i = await ingress();
    const later = await twoDaysLater(i);
    const ahead = nowSeconds() + DAY + 3600;
    const whole = { user_id: 'u', event_summaries: [item(1, nowSeconds()), item(5, ahead)] };
    expect((await post(later, 'skew-1', whole)).statusCode).toBe(200);
    // A replica whose clock is behind: the request was accepted, so it is replayed, not refused.
    const behind = await post(i, 'skew-1', whole);
    expect(behind.statusCode).toBe(200);
    expect(behind.headers['idempotent-replayed']).toBe('true');
    expect(await queued(i)).toHaveLength(1);
  });

  it('answers 503 when the refusal cannot be remembered (Redis down), so the client does not resend part of it', async () => {
    const own = await startRedis();
    const i = await ingress({ REDIS_URL: own.url });
    await own.kill('SIGKILL');
    const res = await post(i, 'down-1', { user_id: 'u', event_summaries: [item(1, nowSeconds()), item(5, nowSeconds() + DAY + 3600)] });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    await own.stop();
  });
});
