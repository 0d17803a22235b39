import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventsQueryRequestSchema, parseEventsQuery } from './events-query.schema.js';
import { intercomVersionHeaderSchema } from './intercom-version.js';
import { intercomErrorsOf, requestSchema } from './request-schema.js';
import { parseSummariesBody, summariesBodySchema, summariesRequestSchema } from './summary.schema.js';

const now = 1_700_000_000;

describe('request schemas', () => {
  it('refuse with exactly the errors of the rule they run, fields and messages as clients read them', () => {
    const body = {
      user_id: 'u',
      event_summaries: [
        { event_name: 'a', count: 'x' },
        { event_name: '', last: 5, first: 9 },
      ],
    };
    const result = summariesRequestSchema(() => now).safeParse(body);
    expect(result.success).toBe(false);
    const expected = parseSummariesBody(body, now);
    expect(expected.ok).toBe(false);
    expect(intercomErrorsOf(result.error?.issues ?? [])).toEqual(expected.ok ? [] : expected.errors);

    const query = { type: 'user', user_id: 'u', email: 'a@b.c', per_page: '0' };
    const queryResult = eventsQueryRequestSchema.safeParse(query);
    const expectedQuery = parseEventsQuery(query);
    expect(intercomErrorsOf(queryResult.error?.issues ?? [])).toEqual(expectedQuery.ok ? [] : expectedQuery.errors);
  });

  it('give what the rule made of valid input, reading the clock at each request', () => {
    let clock = now;
    const schema = summariesRequestSchema(() => clock);
    clock += 60;
    const body = { user_id: 'u', event_summaries: { event_name: 'a' } };
    expect(schema.parse(body)).toEqual({
      summaries: [{ user_id: 'u', event_name: 'a', count: 1, first: now + 60, last: now + 60 }],
      canonical: { user_id: 'u', event_summaries: [{ event_name: 'a', count: 1 }] },
      single: true,
    });
  });

  it('are described in JSON Schema by their shape, as the OpenAPI document shows them', () => {
    const described = z.toJSONSchema(
      summariesRequestSchema(() => now),
      { io: 'input', unrepresentable: 'any' },
    );
    const { $schema: _, ...shape } = z.toJSONSchema(summariesBodySchema, { io: 'input' });
    expect(described).toMatchObject(shape);
    expect(z.toJSONSchema(intercomVersionHeaderSchema, { io: 'input', unrepresentable: 'any' })).toMatchObject({
      type: 'string',
      enum: expect.arrayContaining(['1.0', '2.16', 'Unstable']),
    });
  });

  it('name the field of an issue that carries no Intercom error', () => {
    const plain = requestSchema(z.object({}), () => ({ ok: true, value: 1 }));
    expect(plain.parse({})).toBe(1);
    const issues = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } }).error?.issues ?? [];
    expect(intercomErrorsOf(issues)).toEqual([{ code: 'parameter_invalid', field: 'a.b', message: expect.stringMatching(/^a\.b: /) }]);
  });
});
