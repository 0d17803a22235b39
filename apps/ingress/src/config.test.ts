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
});
