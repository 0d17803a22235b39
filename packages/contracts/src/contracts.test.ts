import { describe, expect, it } from 'vitest';
import { parseDataEventBody } from './data-event.schema.js';
import { eventSummaryResponse } from './event-summary.response.js';
import { parseEventsQuery } from './events-query.schema.js';
import { isIntercomVersion } from './intercom-version.js';
import { summaryBatchJobSchema } from './summary-batch.job.js';

describe('Intercom-Version', () => {
  it.each(['1.0', '1.4', '2.0', '2.11', '2.16', 'Preview', 'Unstable'])('accepts %s', (v) => expect(isIntercomVersion(v)).toBe(true));
  it.each(['', '0.9', '1.5', '2.17', '3.0', 'latest', 'preview'])('refuses %j', (v) => expect(isIntercomVersion(v)).toBe(false));
});

describe('GET /events query', () => {
  it('accepts type=user&user_id=…&summary=true', () => {
    expect(parseEventsQuery({ type: 'user', user_id: '42', summary: 'true' })).toEqual({ ok: true, value: { userId: '42' } });
  });
  it('refuses another type, a missing user_id and a missing summary flag, naming each', () => {
    const result = parseEventsQuery({ type: 'company' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(['type', 'user_id', 'summary']);
  });
  it('refuses a user_id no summary could have been stored under', () => {
    for (const userId of ['a\u0000b', '\ud800', 'x'.repeat(256)]) {
      const result = parseEventsQuery({ type: 'user', user_id: userId, summary: 'true' });
      expect(!result.ok && result.errors[0]).toMatchObject({ field: 'user_id', code: 'parameter_invalid' });
    }
  });
  it('explains that email lookups are not kept', () => {
    const result = parseEventsQuery({ type: 'user', email: 'a@b.c', summary: 'true' });
    expect(!result.ok && result.errors[0]).toMatchObject({ field: 'email', code: 'parameter_invalid' });
  });
});

describe('event.summary response', () => {
  it("uses Intercom's shape and time format", () => {
    const body = eventSummaryResponse('42', [{ event_name: 'a', count: 3, first: new Date(1671028894000), last: new Date(1671028900000) }]);
    expect(body).toEqual({
      type: 'event.summary',
      user_id: '42',
      email: null,
      intercom_user_id: null,
      events: [{ name: 'a', count: 3, first: '2022-12-14T14:41:34.000+00:00', last: '2022-12-14T14:41:40.000+00:00', description: null }],
    });
  });
});

describe('raw data event', () => {
  it('becomes a summary of one occurrence', () => {
    expect(parseDataEventBody({ event_name: 'a', created_at: 100, user_id: 'u', metadata: { k: 'v' } }, 1000)).toEqual({
      ok: true,
      value: { user_id: 'u', event_name: 'a', count: 1, first: 100, last: 100 },
      canonical: { user_id: 'u', event_name: 'a', created_at: 100 },
    });
  });
  it('requires created_at and user_id', () => {
    const result = parseDataEventBody({ event_name: 'a', email: 'x@y.z' }, 1000);
    expect(!result.ok && result.errors.map((e) => e.field).sort()).toEqual(['created_at', 'user_id']);
  });
});

describe('apply-summaries job payload', () => {
  const valid = {
    v: 1,
    requests: [{ requestId: 'r', workspace: 'w', summaries: [{ user_id: 'u', event_name: 'e', count: 1, first: 1, last: 2 }] }],
  };
  it('accepts a well-formed payload', () => expect(summaryBatchJobSchema.safeParse(valid).success).toBe(true));
  it('refuses an unknown version, inverted times and empty batches', () => {
    expect(summaryBatchJobSchema.safeParse({ ...valid, v: 2 }).success).toBe(false);
    expect(summaryBatchJobSchema.safeParse({ v: 1, requests: [] }).success).toBe(false);
    const inverted = structuredClone(valid);
    inverted.requests[0]!.summaries[0]!.first = 3;
    expect(summaryBatchJobSchema.safeParse(inverted).success).toBe(false);
  });
});
