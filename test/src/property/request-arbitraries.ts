import { isIdentityText, MAX_NAME_LENGTH } from '@tally/contracts';
import fc from 'fast-check';

/** One generated request: what to send, and what the ingress must do with it. */
export interface GeneratedRequest {
  route: '/events/summaries' | '/events';
  body: string | Uint8Array;
  headers: Record<string, string>;
  /** The summaries a 2xx promises, as [user_id, event_name, count]; null when the request must be refused with a 4xx. */
  applies: [string, string, number][] | null;
  label: string;
}

const NOW = Math.floor(Date.now() / 1000);
const encoder = new TextEncoder();

/** Any identity text (well-formed, no control characters), short enough to take a prefix. */
const identity = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter(isIdentityText);
const pastSeconds = fc.integer({ min: 0, max: NOW });
const goodCount = fc.integer({ min: 1, max: 1000 });
const goodVersion = fc.constantFrom('1.4', '2.11', '2.16', 'Unstable');
const ctype = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json;charset="UTF-8"');

interface Item {
  event_name: string;
  count: number;
  first?: number;
  last?: number;
}
const item = fc
  .record({
    event_name: identity,
    count: goodCount,
    at: pastSeconds,
    span: fc.nat(1000),
    times: fc.constantFrom('both', 'first', 'last', 'none'),
  })
  .map(
    ({ event_name, count, at, span, times }): Item => ({
      event_name,
      count,
      ...(times === 'both' || times === 'first' ? { first: Math.max(0, at - span) } : {}),
      ...(times === 'both' || times === 'last' ? { last: at } : {}),
    }),
  );

/** Who sends: a user id and an Idempotency-Key no other generated request uses. */
interface Who {
  user: string;
  key: string;
}
let issued = 0;
/**
 * Unique per generated request, shrinks and replays included (the counter is deliberately
 * outside fast-check): a shrunk rerun must not meet its earlier self's keys or events, or a
 * replay would look like a missing count.
 */
const uniqueWho = identity.map((suffix): Who => {
  const id = `${process.pid}.${++issued}`;
  return { user: `${id}-${suffix}`, key: `key-${id}` };
});

/** A valid summaries request. */
function validSummaries({ user, key: clientKey }: Who) {
  return fc
    .record({
      items: fc.array(item, { minLength: 1, maxLength: 4 }),
      single: fc.boolean(),
      version: fc.option(goodVersion, { nil: undefined }),
      withKey: fc.boolean(),
      contentType: ctype,
    })
    .map(({ items, single, version, withKey, contentType }): GeneratedRequest => {
      const batch = single ? [items[0]!] : items;
      return {
        route: '/events/summaries',
        body: JSON.stringify({ user_id: user, event_summaries: single ? batch[0] : batch }),
        headers: {
          'content-type': contentType,
          ...(version ? { 'intercom-version': version } : {}),
          ...(withKey ? { 'idempotency-key': clientKey } : {}),
        },
        applies: batch.map((i) => [user, i.event_name, i.count]),
        label: 'valid summaries',
      };
    });
}

/** Intercom metadata keys; `__proto__` is refused at the door, as Fastify's own parser refuses it. */
const metadataKey = fc.string().filter((k) => k !== '__proto__');

/** A valid raw event (one occurrence). */
function validEvent({ user, key: clientKey }: Who) {
  return fc
    .record({ name: identity, at: pastSeconds, withKey: fc.boolean(), meta: fc.dictionary(metadataKey, fc.string(), { maxKeys: 3 }) })
    .map(
      ({ name, at, withKey, meta }): GeneratedRequest => ({
        route: '/events',
        body: JSON.stringify({ event_name: name, created_at: at, user_id: user, metadata: meta }),
        headers: { 'content-type': 'application/json', ...(withKey ? { 'idempotency-key': clientKey } : {}) },
        applies: [[user, name, 1]],
        label: 'valid raw event',
      }),
    );
}

const refused = (label: string, body: string | Uint8Array, headers: Record<string, string> = {}): GeneratedRequest => ({
  route: '/events/summaries',
  body,
  headers: { 'content-type': 'application/json', ...headers },
  applies: null,
  label,
});

const insertAt = (text: string, at: number, what: string) =>
  text.slice(0, at % (text.length + 1)) + what + text.slice(at % (text.length + 1));

/** Requests that must all be refused with a 4xx error.list. */
function invalid({ user }: Who) {
  const valid = fc.record({ name: identity, count: goodCount });
  /** A valid body with one bad header. */
  const withHeader = (label: string, name: string, header: string, value: string) =>
    refused(label, JSON.stringify({ user_id: user, event_summaries: { event_name: name } }), { [header]: value });
  return fc.oneof(
    fc
      .tuple(valid, fc.nat(), fc.integer({ min: 0xd800, max: 0xdfff }))
      .map(([v, at, s]) =>
        refused(
          'lone surrogate',
          JSON.stringify({ user_id: insertAt(user, at, String.fromCharCode(s)), event_summaries: { event_name: v.name } }),
        ),
      ),
    fc
      .tuple(valid, fc.nat(), fc.constantFrom(0, 1, 9, 10, 13, 27, 0x7f, 0x85))
      .map(([v, at, c]) =>
        refused(
          'control character',
          JSON.stringify({ user_id: user, event_summaries: { event_name: insertAt(v.name, at, String.fromCharCode(c)) } }),
        ),
      ),
    fc.tuple(valid, fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82])).map(([v, bad]) => {
      const [head, tail] = [`{"user_id":"${user}`, `","event_summaries":${JSON.stringify({ event_name: v.name })}}`];
      return refused('invalid UTF-8', Uint8Array.from([...encoder.encode(head), ...bad, ...encoder.encode(tail)]));
    }),
    fc
      .tuple(valid, fc.integer({ min: 17, max: 5000 }))
      .map(([v, depth]) =>
        refused(
          'deep nesting',
          `{"user_id":${JSON.stringify(user)},"event_summaries":{"event_name":${JSON.stringify(v.name)}},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        ),
      ),
    fc
      .jsonValue()
      .filter((j) => !(j !== null && typeof j === 'object' && 'user_id' in j))
      .map((j) => refused('any other JSON', JSON.stringify(j) ?? 'null')),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => refused('random bytes', bytes)),
    valid.map((v) =>
      refused('charset latin1', JSON.stringify({ user_id: user, event_summaries: { event_name: v.name } }), {
        'content-type': 'application/json; charset=iso-8859-1',
      }),
    ),
    fc
      .tuple(valid, fc.stringMatching(/^[A-Za-z0-9 .]{1,300}$/))
      .map(([v, key]) => withHeader('bad Idempotency-Key', v.name, 'idempotency-key', `${key} ${'k'.repeat(256)}`)),
    fc
      .tuple(valid, fc.stringMatching(/^[A-Za-z0-9.]{1,8192}$/))
      .map(([v, version]) => withHeader('bad Intercom-Version', v.name, 'intercom-version', `x${version}`)),
    fc
      .tuple(valid, fc.oneof(fc.constant(0), fc.integer({ max: -1 }), fc.constant(1.5), fc.constant(1_000_000_001), fc.constant('3')))
      .map(([v, count]) => refused('bad count', JSON.stringify({ user_id: user, event_summaries: { event_name: v.name, count } }))),
    fc
      .tuple(valid, pastSeconds)
      .map(([v, at]) =>
        refused('first after last', JSON.stringify({ user_id: user, event_summaries: { event_name: v.name, first: at + 10, last: at } })),
      ),
    valid.map((v) =>
      refused('user_id too long', JSON.stringify({ user_id: user + 'u'.repeat(MAX_NAME_LENGTH), event_summaries: { event_name: v.name } })),
    ),
  );
}

/** A request, valid or not, for a user id unique to it. */
export const request: fc.Arbitrary<GeneratedRequest> = uniqueWho.chain((who) =>
  fc.oneof(
    { arbitrary: validSummaries(who), weight: 3 },
    { arbitrary: validEvent(who), weight: 1 },
    { arbitrary: invalid(who), weight: 4 },
  ),
);
