import { waitFor } from '@tally/testing';
import { IntercomClient, IntercomError } from 'intercom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, TOKENS } from './support/stack.js';

/**
 * The official Intercom Node SDK, unchanged, with only its base URL pointed at Tally: the
 * promise that existing integrations switch by configuration alone.
 */
describe('the official Intercom SDK (intercom-client) against Tally', () => {
  let stack: Stack;
  let intercom: IntercomClient;
  beforeAll(async () => {
    stack = await startStack({ ingresses: 1, workers: 1 });
    intercom = new IntercomClient({ token: TOKENS.acme, baseUrl: stack.ingresses[0]!.url });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('client.events.summaries() is accepted and client.events.list() reads the counts back', async () => {
    await intercom.events.summaries({
      user_id: '314159',
      event_summaries: { event_name: 'invited-friend', count: 3, first: 1671028894, last: 1671028900 },
    });
    await intercom.events.summaries({
      user_id: '314159',
      event_summaries: { event_name: 'invited-friend', count: 2, first: 1671020000, last: 1671028894 },
    });
    const summary = await waitFor(
      async () => {
        const s = await intercom.events.list({ type: 'user', user_id: '314159', summary: true });
        return s.events?.[0]?.count === 5 ? s : null;
      },
      { timeoutMs: 20_000, message: 'the SDK never read a count of 5' },
    );
    expect(summary.type).toBe('event.summary');
    expect(summary.user_id).toBe('314159');
    expect(summary.events).toEqual([
      {
        name: 'invited-friend',
        count: 5,
        first: '2022-12-14T12:13:20.000+00:00',
        last: '2022-12-14T14:41:40.000+00:00',
        description: null,
      },
    ]);
  });

  it('client.events.create() submits a raw event that is counted', async () => {
    await intercom.events.create({ event_name: 'placed-order', created_at: 1671028894, user_id: 'sdk-user' });
    await waitFor(async () => (await intercom.events.list({ type: 'user', user_id: 'sdk-user', summary: true })).events?.[0]?.count === 1, {
      timeoutMs: 20_000,
      message: 'the raw event was never counted',
    });
  });

  it("a wrong token surfaces as the SDK's own 401 error", async () => {
    const stranger = new IntercomClient({ token: 'not-a-real-token', baseUrl: stack.ingresses[0]!.url });
    const error = await stranger.events.summaries({ user_id: 'x', event_summaries: { event_name: 'y' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IntercomError);
    expect((error as IntercomError).statusCode).toBe(401);
    expect((error as IntercomError).body).toMatchObject({
      type: 'error.list',
      errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }],
    });
  });
});
