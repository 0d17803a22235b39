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
    expect(parseEventsQuery({ type: 'user', user_id: '42', summary: 'true' })).toEqual({
      ok: true,
      value: { identity: { kind: 'user_id', value: '42' }, summary: true, perPage: 50 },
    });
  });
  it('takes email or intercom_user_id instead, and lists events without summary=true', () => {
    expect(parseEventsQuery({ type: 'user', email: ' Ann@Example.com', per_page: '2' })).toEqual({
      ok: true,
      value: { identity: { kind: 'email', value: 'ann@example.com' }, summary: false, perPage: 2 },
    });
    expect(parseEventsQuery({ type: 'user', intercom_user_id: '63a0', before: '1389913941064_abc-_9', since: '5' })).toEqual({
      ok: true,
      value: {
        identity: { kind: 'intercom_user_id', value: '63a0' },
        summary: false,
        perPage: 50,
        before: { atMs: 1389913941064, id: 'abc-_9' },
        sinceMs: 5,
      },
    });
  });
  it('refuses another type and a missing identity, naming each', () => {
    const result = parseEventsQuery({ type: 'company' });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => [e.code, e.field])).toEqual([
        ['parameter_invalid', 'type'],
        ['parameter_not_found', 'user_id'],
      ]);
  });
  it('refuses two identities at once, naming the second', () => {
    const result = parseEventsQuery({ type: 'user', user_id: 'u', email: 'a@b.c', summary: 'true' });
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ code: 'parameter_invalid', field: 'email' })]);
  });
  it.each([
    ['per_page', '0'],
    ['per_page', '151'],
    ['per_page', '1.5'],
    ['before', 'yesterday'],
    ['since', '-1'],
    ['summary', 'yes'],
  ])('refuses %s=%s', (field, value) => {
    const result = parseEventsQuery({ type: 'user', user_id: 'u', [field]: value });
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual([field]);
  });
  it('refuses a user_id no summary could have been stored under', () => {
    for (const userId of ['a\u0000b', '\ud800', 'x'.repeat(256)]) {
      const result = parseEventsQuery({ type: 'user', user_id: userId, summary: 'true' });
      expect(!result.ok && result.errors[0]).toMatchObject({ field: 'user_id', code: 'parameter_invalid' });
    }
  });
});

describe('event.summary response', () => {
  it("uses Intercom's shape and time format", () => {
    const body = eventSummaryResponse({ kind: 'user_id', value: '42' }, [
      { event_name: 'a', count: 3, first: new Date(1671028894000), last: new Date(1671028900000) },
    ]);
    expect(body).toEqual({
      type: 'event.summary',
      user_id: '42',
      email: null,
      intercom_user_id: null,
      events: [{ name: 'a', count: 3, first: '2022-12-14T14:41:34.000+00:00', last: '2022-12-14T14:41:40.000+00:00', description: null }],
    });
  });
  it('names the user by the identity it was asked for', () => {
    expect(eventSummaryResponse({ kind: 'email', value: 'a@b.c' }, [])).toMatchObject({
      user_id: null,
      email: 'a@b.c',
      intercom_user_id: null,
    });
  });
});

describe('raw data event', () => {
  it('becomes a summary of one occurrence, with its metadata', () => {
    expect(parseDataEventBody({ event_name: 'a', created_at: 100, user_id: 'u', metadata: { k: 'v' } }, 1000)).toEqual({
      ok: true,
      value: { summary: { user_id: 'u', event_name: 'a', count: 1, first: 100, last: 100 }, metadata: { k: 'v' } },
      canonical: { user: 'u', event_name: 'a', created_at: 100 },
    });
  });
  it('keys a user named by email or Intercom id by that identity', () => {
    const byEmail = parseDataEventBody({ event_name: 'a', created_at: 100, email: 'Frodo@Shire.org ' }, 1000);
    expect(byEmail.ok && byEmail.value.summary).toMatchObject({ user_id: 'frodo@shire.org', identity: 'email' });
    const byId = parseDataEventBody({ event_name: 'a', created_at: 100, id: '8a88a590' }, 1000);
    expect(byId.ok && byId.value.summary).toMatchObject({ user_id: '8a88a590', identity: 'intercom_user_id' });
  });
  it('requires created_at and one identity', () => {
    const result = parseDataEventBody({ event_name: 'a' }, 1000);
    expect(!result.ok && result.errors.map((e) => [e.code, e.field])).toEqual([
      ['parameter_not_found', 'created_at'],
      ['parameter_not_found', 'user_id'],
    ]);
  });
  it('refuses two identities at once, naming each extra field', () => {
    const result = parseDataEventBody({ event_name: 'a', created_at: 1, user_id: 'u', email: 'a@b.c', id: 'x' }, 1000);
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual(['email', 'id']);
  });
  it('refuses invalid metadata, naming the key', () => {
    const result = parseDataEventBody({ event_name: 'a', created_at: 1, user_id: 'u', metadata: { deep: { a: { b: 1 } } } }, 1000);
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ code: 'parameter_invalid', field: 'metadata.deep' })]);
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
