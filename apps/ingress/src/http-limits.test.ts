import { loadConfig } from '@tally/config';
import { describe, expect, it } from 'vitest';
import { httpLimitOptions, httpLimitsEnv } from './http-limits.js';

describe('HTTP limits', () => {
  it('has bounded defaults', () => {
    const options = httpLimitOptions(loadConfig(httpLimitsEnv, {}));
    expect(options).toEqual({
      requestTimeout: 30_000,
      connectionTimeout: 60_000,
      keepAliveTimeout: 72_000,
      maxRequestsPerSocket: 0,
      http: { headersTimeout: 10_000, connectionsCheckingInterval: 2500 },
    });
  });

  it('checks deadlines often enough for the shortest one, and never lets headers outlast the request', () => {
    const options = httpLimitOptions(loadConfig(httpLimitsEnv, { REQUEST_TIMEOUT_MS: '400', HEADERS_TIMEOUT_MS: '5000' }));
    expect(options.http).toEqual({ headersTimeout: 400, connectionsCheckingInterval: 100 });
  });

  it('refuses a deadline of zero (no deadline at all)', () => {
    expect(() => loadConfig(httpLimitsEnv, { REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
  });
});
