import { describe, expect, it } from 'vitest';
import fixture from './intercom-data-events.fixture.json' with { type: 'json' };
import { openApiDifferences, type Paths } from './openapi-diff.js';
import { buildOpenApiDocument } from './openapi-document.js';

/**
 * Where Tally's API deliberately differs from Intercom's published description (the fixture,
 * reduced from Intercom's OpenAPI description; its source is named inside). Each entry matches
 * one or more differences and says why. Any other difference fails the test, and so does an
 * entry that no longer matches anything.
 */
const DELIBERATE: { match: RegExp; reason: string }[] = [
  {
    match: /^(POST|GET) \S+ status (400|413|415|422|429|503)$/,
    reason:
      "Tally documents the refusals it answers (invalid input, body too large, unknown Content-Encoding, Idempotency-Key reused, rate limit, not accepted); Intercom's description lists only success and 401, though its API answers 400 and 429 too.",
  },
  {
    match: /^POST \/events(\/summaries)? parameter header idempotency-key$/,
    reason: 'Tally extension: a client retry with the same Idempotency-Key is applied once (Intercom has no such header).',
  },
  {
    match: /^POST \/events\/summaries body event_summaries(\[\].*)?$/,
    reason: 'Tally extension: event_summaries may also be an array of summaries for the same user (one request instead of many).',
  },
  {
    match: /^GET \/events parameter query (filter|user_id|email|intercom_user_id)$/,
    reason:
      "Intercom's description writes the user lookup as an exploded `filter` object (user_id, intercom_user_id or email), which on the wire is `?user_id=…`; Tally declares the three parameters themselves.",
  },
  {
    match: /^GET \/events parameter query (summary|per_page|before|since)$/,
    reason:
      "Intercom's description names summary, per_page and the pages.next/pages.since links only in prose; Tally declares them: summary chooses event.summary or event.list, per_page, before and since page the list.",
  },
  {
    match: /^GET \/events 200 (user_id|email|intercom_user_id|events\[\]\.description)$/,
    reason:
      'Tally has no contact store: of user_id, email and intercom_user_id only the one the user was named by is set (the others are null), and event descriptions are always null.',
  },
  {
    match: /^GET \/events 200 (pages(\.next|\.since)?|events\[\]\.(type|event_name|created_at|user_id|email|intercom_user_id|metadata))$/,
    reason:
      "Without summary=true, GET /events answers Intercom's event.list (events with their metadata, and pages links); Intercom's API answers it too but its description documents only event.summary, so Tally's 200 is either object.",
  },
];

describe("the OpenAPI document against Intercom's published description", () => {
  it('differs only where the list of deliberate differences says, and every entry there still applies', async () => {
    const document = await buildOpenApiDocument();
    expect(document.openapi).toBe('3.1.0');
    const differences = openApiDifferences(fixture.paths as Paths, document.paths as Paths);
    const unexplained = [...differences].filter(([key]) => !DELIBERATE.some((d) => d.match.test(key))).map(([k, v]) => `${k} (${v})`);
    expect(unexplained).toEqual([]);
    const stale = DELIBERATE.filter((d) => ![...differences.keys()].some((key) => d.match.test(key))).map((d) => String(d.match));
    expect(stale).toEqual([]);
  });

  it('catches a change to a shared endpoint (a field type changed on the Intercom side)', () => {
    const changed = structuredClone(fixture.paths) as unknown as Paths;
    const summaries = changed['/events/summaries']!.post!.requestBody as { properties: { user_id: { type: string } } };
    summaries.properties.user_id.type = 'integer';
    const differences = openApiDifferences(changed, fixture.paths as Paths);
    expect([...differences.keys()]).toEqual(['POST /events/summaries body user_id']);
  });
});
