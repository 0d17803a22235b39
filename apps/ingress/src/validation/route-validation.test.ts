import { gzipSync } from 'node:zlib';
import { createLogger } from '@tally/logger';
import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import type { Submission } from '../enqueue/summary-enqueuer.js';
import { validationErrors } from './validation-errors.js';

const NOW_SECONDS = 1_700_000_000;
const auth = { authorization: 'Bearer acme-token-0001', 'content-type': 'application/json' };

/** The ingress with an enqueuer and a store that record what the handlers hand them. */
async function recordingApp() {
  const submitted: Submission[] = [];
  const reads: string[] = [];
  const app = await buildApp({
    logger: createLogger({ name: 'route-validation', level: 'silent' }),
    tokens: { workspaceFor: (token) => (token === 'acme-token-0001' ? 'acme' : null), authoritative: () => true },
    enqueuer: {
      submit: async (submission) => {
        submitted.push(submission);
        return { replayed: false };
      },
      keyedRefusal: async () => ({ replayed: false }),
      readiness: () => ({ ready: true, backlog: { jobs: 0, summaries: 0, redisMemoryRatio: 0 } }),
      drain: async () => {},
    },
    summaries: {
      findByUser: async (_workspace, identity) => {
        reads.push(identity.value);
        return [];
      },
    },
    events: { list: async () => [] },
    eventsRetentionSeconds: 90 * 24 * 3600,
    bodyLimit: 1024 * 1024,
    retryAfterSeconds: 2,
    now: () => NOW_SECONDS * 1000,
  });
  return { app, submitted, reads };
}

describe('route schemas', () => {
  it('hand the handler what the schema made of the body: defaults from the clock, unknown fields gone', async () => {
    const { app, submitted } = await recordingApp();
    const body = { user_id: 'ann', event_summaries: { event_name: 'signed-up', extra: { deep: [1] } } };
    const res = await app.inject({ method: 'POST', url: '/events/summaries', headers: auth, payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(submitted[0]?.summaries).toEqual([{ user_id: 'ann', event_name: 'signed-up', count: 1, first: NOW_SECONDS, last: NOW_SECONDS }]);
    await app.close();
  });

  it('refuse a bad body with every problem at once, each field named, and queue nothing', async () => {
    const { app, submitted } = await recordingApp();
    const body = {
      user_id: '',
      event_summaries: [
        { event_name: 'a', count: 0 },
        { event_name: 'b', first: NOW_SECONDS + 2 * 86_400 },
      ],
    };
    const res = await app.inject({ method: 'POST', url: '/events/summaries', headers: auth, payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'error.list', request_id: res.headers['x-request-id'] });
    expect(res.json().errors.map((e: { code: string; field: string }) => `${e.code} ${e.field}`)).toEqual([
      'parameter_invalid user_id',
      'parameter_invalid event_summaries[0].count',
      'parameter_invalid event_summaries[1].first',
    ]);
    expect(submitted).toHaveLength(0);
    await app.close();
  });

  it('refuse a bad query before the store is asked', async () => {
    const { app, reads } = await recordingApp();
    const res = await app.inject({ url: '/events?type=company&summary=maybe', headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { code: string; field: string }) => `${e.code} ${e.field}`)).toEqual([
      'parameter_invalid type',
      'parameter_not_found user_id',
      'parameter_invalid summary',
    ]);
    expect(reads).toHaveLength(0);
    await app.close();
  });

  it('check the headers before the body is read: a bad header is named even when the body is bad too', async () => {
    const { app } = await recordingApp();
    const badKey = await app.inject({
      method: 'POST',
      url: '/events/summaries',
      headers: { ...auth, 'idempotency-key': 'has spaces' },
      payload: '{"user_id": "u",',
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().errors).toEqual([expect.objectContaining({ code: 'parameter_invalid', field: 'Idempotency-Key' })]);
    const badVersion = await app.inject({
      method: 'POST',
      url: '/events',
      headers: { ...auth, 'intercom-version': '9.9', 'content-encoding': 'gzip' },
      payload: Buffer.concat([gzipSync('{"user_id":"u"}').subarray(0, 12), Buffer.from('not gzip at all')]),
    });
    expect(badVersion.statusCode).toBe(400);
    expect(badVersion.json().errors).toEqual([expect.objectContaining({ code: 'intercom_version_invalid', field: 'Intercom-Version' })]);
    await app.close();
  });
});

describe('validation errors of a JSON Schema route', () => {
  it('map to parameter_invalid with the field named as Intercom names it, the message clipped', () => {
    const error = Object.assign(new Error('body/event_summaries/0/count must be integer'), {
      code: 'FST_ERR_VALIDATION',
      validationContext: 'body',
      validation: [
        { instancePath: '/event_summaries/0/count', message: 'must be integer', keyword: 'type', schemaPath: '#', params: {} },
        { instancePath: '', message: `must have ${'x'.repeat(500)}`, keyword: 'required', schemaPath: '#', params: {} },
      ],
    }) as FastifyError;
    const errors = validationErrors(error);
    expect(errors[0]).toEqual({
      code: 'parameter_invalid',
      field: 'event_summaries[0].count',
      message: 'event_summaries[0].count must be integer',
    });
    expect(errors[1]).toMatchObject({ code: 'parameter_invalid', field: 'body' });
    expect(errors[1]?.message.length).toBeLessThanOrEqual(201);
  });
});
