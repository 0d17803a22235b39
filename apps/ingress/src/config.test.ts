import { loadConfig } from '@tally/config';
import { describe, expect, it } from 'vitest';
import { ingressConfigSchema } from './config.js';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017', TALLY_TOKENS: 'acme:token-0001' };

describe('ingressConfigSchema', () => {
  it('has no metrics server unless METRICS_PORT is set', () => {
    expect(loadConfig(ingressConfigSchema, base).METRICS_PORT).toBeUndefined();
    expect(loadConfig(ingressConfigSchema, { ...base, METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
  });

  it('refuses metrics on the public API port', () => {
    expect(() => loadConfig(ingressConfigSchema, { ...base, PORT: '3000', METRICS_PORT: '3000' })).toThrow(
      /METRICS_PORT: must differ from PORT/,
    );
  });

  it('refuses a REDIS_WAIT_TIMEOUT_MS that leaves no room for the add in ENQUEUE_TIMEOUT_MS', () => {
    expect(() => loadConfig(ingressConfigSchema, { ...base, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '800' })).toThrow(
      /REDIS_WAIT_TIMEOUT_MS: must be below ENQUEUE_TIMEOUT_MS/,
    );
    expect(loadConfig(ingressConfigSchema, { ...base, REDIS_WAIT_REPLICAS: '1' }).REDIS_WAIT_TIMEOUT_MS).toBe(200);
  });

  it('lets the heap grow 50 % past its live size by default; 0 leaves V8 its own heuristics', () => {
    expect(loadConfig(ingressConfigSchema, base).HEAP_GROWING_PERCENT).toBe(50);
    expect(loadConfig(ingressConfigSchema, { ...base, HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    expect(() => loadConfig(ingressConfigSchema, { ...base, HEAP_GROWING_PERCENT: '-5' })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together', () => {
    expect(() =>
      loadConfig(ingressConfigSchema, { ...base, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' }),
    ).toThrow(/REDIS_CLUSTER_NODES: set REDIS_URL or REDIS_CLUSTER_NODES, not both/);
  });
});
