import { describe, expect, it } from 'vitest';
import { backoffStrategy, CAPPED_EXPONENTIAL, MAX_BACKOFF_MS } from './backoff.js';
import { consumerConnection, producerConnection } from './connections.js';
import { JOB_CATALOG, parseJobPayload } from './job-catalog.js';
import { JOBS } from './names.js';

describe('connections', () => {
  it('the producer fails fast and the consumer never gives up', () => {
    expect(producerConnection('redis://127.0.0.1:6390')).toMatchObject({
      host: '127.0.0.1',
      port: 6390,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    expect(consumerConnection('redis://:pw@h:1/2')).toMatchObject({
      host: 'h',
      port: 1,
      password: 'pw',
      db: 2,
      maxRetriesPerRequest: null,
    });
  });
});

describe('job catalog', () => {
  it('keeps failed jobs as the dead-letter set and retries with backoff', () => {
    const { options } = JOB_CATALOG[JOBS.applySummaries];
    expect(options.removeOnFail).toBe(false);
    expect(options.attempts).toBeGreaterThan(1);
    expect(options.backoff.type).toBe(CAPPED_EXPONENTIAL);
  });
  it('validates payloads with the shared schema', () => {
    expect(parseJobPayload(JOBS.applySummaries, { v: 1, requests: [] }).success).toBe(false);
  });
});

describe('backoff', () => {
  it('doubles from one second and is capped at a minute', () => {
    const delays = [1, 2, 3, 10, 500].map((n) => backoffStrategy(n));
    expect(delays[0]).toBeGreaterThanOrEqual(900);
    expect(delays[0]).toBeLessThanOrEqual(1100);
    expect(delays[1]).toBeGreaterThanOrEqual(1800);
    expect(delays[2]).toBeGreaterThanOrEqual(3600);
    expect(delays[3]).toBeLessThanOrEqual(MAX_BACKOFF_MS);
    expect(delays[4]).toBeLessThanOrEqual(MAX_BACKOFF_MS);
    expect(delays[4]).toBeGreaterThan(MAX_BACKOFF_MS * 0.8);
  });
});
