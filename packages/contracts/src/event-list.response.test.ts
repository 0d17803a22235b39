import { describe, expect, it } from 'vitest';
import { eventListResponse, eventListResponseSchema, type StoredEvent } from './event-list.response.js';
import type { EventsQuery } from './events-query.schema.js';

const stored = (id: string, seconds: number, metadata?: string): StoredEvent => ({
  id,
  event_name: `e-${id}`,
  created_at: new Date(seconds * 1000),
  ...(metadata ? { metadata } : {}),
});
const query = (extra: Partial<EventsQuery> = {}): EventsQuery => ({
  identity: { kind: 'email', value: 'a+b@c.d' },
  summary: false,
  perPage: 2,
  ...extra,
});

describe('event.list response', () => {
  it("has Intercom's shape, the user under the name it was asked by, and metadata as sent", () => {
    const body = eventListResponse(query({ perPage: 5 }), [stored('x', 20, '{"b":1,"a":"é"}'), stored('y', 10)], 'http://h:1');
    expect(body).toEqual({
      type: 'event.list',
      events: [
        { type: 'event', event_name: 'e-x', created_at: 20, email: 'a+b@c.d', metadata: { b: 1, a: 'é' } },
        { type: 'event', event_name: 'e-y', created_at: 10, email: 'a+b@c.d' },
      ],
      pages: { since: 'http://h:1/events?type=user&email=a%2Bb%40c.d&per_page=5&since=20001' },
    });
    expect(JSON.stringify(body.events[0]?.metadata)).toBe('{"b":1,"a":"é"}');
  });

  it('links the next page after the last event shown only when one more exists', () => {
    const body = eventListResponse(query(), [stored('c', 30), stored('b', 20), stored('a', 20)], 'http://h:1');
    expect(body.events).toHaveLength(2);
    expect(body.pages.next).toBe('http://h:1/events?type=user&email=a%2Bb%40c.d&per_page=2&before=20000_b');
    expect(eventListResponse(query(), [stored('c', 30), stored('b', 20)], 'http://h:1').pages.next).toBeUndefined();
  });

  it('keeps since in next links, and offers it again on an empty page', () => {
    const body = eventListResponse(query({ sinceMs: 5000 }), [stored('c', 30), stored('b', 20), stored('a', 10)], 'http://h');
    expect(new URL(body.pages.next!).searchParams.get('since')).toBe('5000');
    expect(eventListResponse(query({ sinceMs: 5000 }), [], 'http://h')).toEqual({
      type: 'event.list',
      events: [],
      pages: { since: 'http://h/events?type=user&email=a%2Bb%40c.d&per_page=2&since=5000' },
    });
  });

  it('is described by the schema the OpenAPI document publishes', () => {
    const rich = '{"plan":"pro","seats":3,"link":{"url":"https://x.y","value":"x"},"price":{"amount":100,"currency":"eur"}}';
    const body = eventListResponse(query({ perPage: 1 }), [stored('x', 20, rich), stored('y', 10)], 'http://h:1');
    expect(eventListResponseSchema.strict().safeParse(body).success).toBe(true);
    expect(eventListResponseSchema.parse(body)).toEqual(body);
  });
});
