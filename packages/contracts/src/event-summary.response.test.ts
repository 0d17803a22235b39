import { describe, expect, it } from 'vitest';
import { eventSummaryResponse, eventSummaryResponseSchema } from './event-summary.response.js';

const stored = [{ event_name: 'signed-up', count: 3, first: new Date(1_389_913_941_000), last: new Date(1_389_913_942_000) }];

describe('event.summary response', () => {
  it.each([
    ['user_id', '314159'],
    ['email', 'frodo@example.com'],
    ['intercom_user_id', '63a0c1'],
  ] as const)('is described by the schema the OpenAPI document publishes, for a user named by %s', (kind, value) => {
    const body = eventSummaryResponse({ kind, value }, stored);
    expect(body[kind]).toBe(value);
    expect(eventSummaryResponseSchema.strict().parse(body)).toEqual(body);
  });
});
