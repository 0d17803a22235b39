import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '@tally/store';
import { waitFor } from '@tally/testing';
import { IntercomClient, IntercomError } from 'intercom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventList, followLink, listEvents } from './support/event-list.js';
import { type Stack, startStack, TOKENS } from './support/stack.js';

/**
 * The rest of Intercom's Data Events API through the official SDK (`intercom-client` 7): users
 * named by user_id, email or Intercom id, and the event list with its pages.
 */
const nowSeconds = () => Math.floor(Date.now() / 1000);
const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

async function refusal(promise: Promise<unknown>): Promise<IntercomError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IntercomError);
  return error as IntercomError;
}

describe('the Data Events API through the official SDK', () => {
  let stack: Stack;
  let intercom: IntercomClient;
  beforeAll(async () => {
    stack = await startStack({ ingresses: 1, workers: 1 });
    intercom = new IntercomClient({ token: TOKENS.acme, baseUrl: stack.ingresses[0]!.url });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const summaryCount = async (identity: { user_id: string } | { email: string } | { intercom_user_id: string }) =>
    (await intercom.events.list({ type: 'user', ...identity, summary: true })).events.reduce((n, e) => n + (e?.count ?? 0), 0);

  it('reads back events created by user_id, by email and by id through the matching filter', async () => {
    const at = nowSeconds() - 60;
    const userId = unique('user');
    const intercomId = unique('63a0979a');
    const email = `${unique('Frodo.Baggins')}@Example.COM`;
    await intercom.events.create({ user_id: userId, event_name: 'invited-friend', created_at: at });
    await intercom.events.create({ email: ` ${email} `, event_name: 'invited-friend', created_at: at });
    await intercom.events.create({ id: intercomId, event_name: 'invited-friend', created_at: at });
    // The same string as a user_id is another user: Tally has no contact store to merge them.
    await intercom.events.create({ user_id: email.toLowerCase(), event_name: 'invited-friend', created_at: at });

    const lower = email.toLowerCase();
    for (const identity of [{ user_id: userId }, { email: lower }, { intercom_user_id: intercomId }, { user_id: lower }]) {
      await waitFor(async () => (await summaryCount(identity)) === 1, {
        timeoutMs: 20_000,
        message: `never counted ${JSON.stringify(identity)}`,
      });
    }
    const byEmail = await intercom.events.list({ type: 'user', email: email.toUpperCase(), summary: true });
    expect(byEmail).toMatchObject({ type: 'event.summary', email: lower, user_id: null, intercom_user_id: null });
    expect(byEmail.events).toEqual([expect.objectContaining({ name: 'invited-friend', count: 1 })]);
    const byId = await intercom.events.list({ type: 'user', intercom_user_id: intercomId, summary: true });
    expect(byId).toMatchObject({ intercom_user_id: intercomId, user_id: null, email: null });

    expect(await listEvents(intercom, { user_id: userId })).toMatchObject({
      type: 'event.list',
      events: [{ type: 'event', event_name: 'invited-friend', created_at: at, user_id: userId }],
    });
    expect((await listEvents(intercom, { email: email })).events).toEqual([
      { type: 'event', event_name: 'invited-friend', created_at: at, email: lower },
    ]);
    expect((await listEvents(intercom, { intercom_user_id: intercomId })).events).toEqual([
      { type: 'event', event_name: 'invited-friend', created_at: at, intercom_user_id: intercomId },
    ]);
  });

  it('pages through 250 events of one user exactly once via pages.next, newest first', async () => {
    const userId = unique('pager');
    const base = nowSeconds() - 3600;
    // Three events per second (three names): page boundaries fall inside a second.
    const sent = Array.from({ length: 250 }, (_, i) => ({ event_name: `e${i % 3}`, created_at: base + Math.floor(i / 3) }));
    for (let i = 0; i < sent.length; i += 25) {
      await Promise.all(sent.slice(i, i + 25).map((e) => intercom.events.create({ user_id: userId, ...e })));
    }
    await waitFor(async () => (await summaryCount({ user_id: userId })) === 250, { timeoutMs: 30_000, message: 'never counted 250' });

    const first = await listEvents(intercom, { user_id: userId });
    expect(first.events).toHaveLength(50); // Intercom's default per_page
    const seen: EventList['events'] = [];
    let page = await listEvents(intercom, { user_id: userId }, { per_page: 40 });
    for (let pages = 1; ; pages++) {
      expect(page.events.length).toBeLessThanOrEqual(40);
      seen.push(...page.events);
      if (!page.pages.next) break;
      expect(new URL(page.pages.next).origin).toBe(stack.ingresses[0]!.url);
      expect(pages).toBeLessThan(10);
      page = await followLink(intercom, page.pages.next);
    }
    const keys = seen.map((e) => `${e.created_at}:${e.event_name}`);
    expect(new Set(keys).size).toBe(250);
    expect(keys.sort()).toEqual(sent.map((e) => `${e.created_at}:${e.event_name}`).sort());
    const times = seen.map((e) => e.created_at);
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // pages.since: only events newer than the newest listed.
    expect(first.pages.since).toBeDefined();
    await intercom.events.create({ user_id: userId, event_name: 'older', created_at: base - 10 });
    await intercom.events.create({ user_id: userId, event_name: 'newer', created_at: base + 100 });
    await intercom.events.create({ user_id: userId, event_name: 'newest', created_at: base + 101 });
    await waitFor(async () => (await summaryCount({ user_id: userId })) === 253, { timeoutMs: 20_000, message: 'never counted 253' });
    const newer = await followLink(intercom, first.pages.since!);
    expect(newer.events.map((e) => e.event_name)).toEqual(['newest', 'newer']);
  });

  it('gives metadata back byte for byte', async () => {
    const userId = unique('meta');
    const metadata = {
      invite_code: 'ADDAFRIEND',
      'key.with.dots': 'naïve café ✓ 🎉 "quoted" \\ back\u2028slash',
      $dollar: 'first-class',
      load: 3.67,
      big: 1e21,
      contact_date: 1392036272,
      article: 'https://example.org/ab1de.html',
      rich: { url: 'https://example.org/ab1de.html', value: 'the dude abides' },
      price: { amount: 34999, currency: 'eur' },
      zero: 0,
    };
    const res = await fetch(`${stack.ingresses[0]!.url}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event_name: 'placed-order', created_at: nowSeconds() - 5, user_id: userId, metadata }),
    });
    expect(res.status).toBe(202);
    const listed = await waitFor(
      async () => {
        const r = await fetch(`${stack.ingresses[0]!.url}/events?type=user&user_id=${userId}`, {
          headers: { authorization: `Bearer ${TOKENS.acme}` },
        });
        const text = await r.text();
        return text.includes('placed-order') ? text : null;
      },
      { timeoutMs: 20_000, message: 'the event was never listed' },
    );
    expect(listed).toContain(`"metadata":${JSON.stringify(metadata)}`);
    expect((await listEvents(intercom, { user_id: userId })).events[0]?.metadata).toEqual(metadata);
  });

  it('counts and lists a repeated event once, as Intercom de-duplicates it', async () => {
    const email = `${unique('dup')}@example.com`;
    const event = { event_name: 'placed-order', created_at: nowSeconds() - 30 };
    await intercom.events.create({ email, ...event, metadata: { order: 'A1' } });
    await intercom.events.create({ email: email.toUpperCase(), ...event, metadata: { order: 'A2' } });
    await intercom.events.create({ user_id: email, ...event }); // another user: its own count
    await waitFor(async () => (await summaryCount({ user_id: email })) === 1, { timeoutMs: 20_000, message: 'never counted' });
    await waitFor(async () => (await summaryCount({ email })) === 1, { timeoutMs: 20_000, message: 'never counted by email' });
    expect((await listEvents(intercom, { email })).events).toEqual([{ type: 'event', ...event, email, metadata: { order: 'A1' } }]);
  });

  it('refuses invalid metadata and two identities at once with 400, naming the field', async () => {
    const at = nowSeconds();
    const nested = await refusal(
      intercom.events.create({ user_id: 'u', event_name: 'e', created_at: at, metadata: { deep: { a: { b: 1 } } } as never }),
    );
    expect(nested.statusCode).toBe(400);
    expect(nested.body).toMatchObject({ type: 'error.list', errors: [{ code: 'parameter_invalid', field: 'metadata.deep' }] });
    const tooMany = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    const eleven = await refusal(intercom.events.create({ user_id: 'u', event_name: 'e', created_at: at, metadata: tooMany }));
    expect(eleven.body).toMatchObject({ errors: [{ field: 'metadata' }] });
    const both = await refusal(intercom.events.create({ user_id: 'u', email: 'u@example.com', event_name: 'e', created_at: at } as never));
    expect(both.statusCode).toBe(400);
    expect(both.body).toMatchObject({ errors: [{ code: 'parameter_invalid', field: 'email' }] });
    const twoFilters = await refusal(intercom.events.list({ type: 'user', user_id: 'u', email: 'u@example.com' }));
    expect(twoFilters.body).toMatchObject({ errors: [{ field: 'email' }] });
  });
});

describe('the listing window (EVENTS_RETENTION_SECONDS)', () => {
  // Long enough for a loaded machine to apply the event while it is still inside the window.
  const windowSeconds = 20;
  let stack: Stack;
  let intercom: IntercomClient;
  beforeAll(async () => {
    stack = await startStack({ env: { EVENTS_RETENTION_SECONDS: String(windowSeconds) }, mongoTtlSweepMs: 200 });
    intercom = new IntercomClient({ token: TOKENS.acme, baseUrl: stack.ingresses[0]!.url });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('drops an event past the window from the list (and the TTL index deletes it) while the summary still counts it', async () => {
    const userId = unique('expiring');
    await intercom.events.create({ user_id: userId, event_name: 'signed-up', created_at: nowSeconds() - 1 });
    await waitFor(async () => (await listEvents(intercom, { user_id: userId })).events.length === 1, {
      timeoutMs: windowSeconds * 1000,
      message: 'the event was never listed',
    });
    await waitFor(async () => (await listEvents(intercom, { user_id: userId })).events.length === 0, {
      timeoutMs: (windowSeconds + 30) * 1000,
      message: 'the event was still listed after the window',
    });
    // mongod's TTL monitor runs every 60 s and cannot be sped up; the emulator's here every 200 ms.
    await waitFor(async () => (await stack.db.db.collection(COLLECTIONS.rawEvents).countDocuments({ event_name: 'signed-up' })) === 0, {
      timeoutMs: stack.mongo.external ? 150_000 : 10_000,
      message: 'the TTL index never deleted the expired event',
    });
    const summary = await intercom.events.list({ type: 'user', user_id: userId, summary: true });
    expect(summary.events).toEqual([expect.objectContaining({ name: 'signed-up', count: 1 })]);
  });
});
