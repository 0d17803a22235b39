import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { metricsEnv, mongoEnv, tokensEnv } from './common.schema.js';
import { envBoolean, envInt } from './env-types.js';
import { ConfigError, loadConfig } from './load-config.js';
import { redisEnv } from './redis.schema.js';

const schema = redisEnv.extend({
  PORT: envInt(3000, 1, 65535),
  FLAG: envBoolean(false),
  LIST: z
    .string()
    .default('a')
    .transform((v) => v.split(',')),
});

describe('loadConfig', () => {
  it('applies defaults and freezes the result', () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({ PORT: 3000, FLAG: false, LIST: ['a'], QUEUE_SHARDS: 1 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.LIST)).toBe(true);
  });

  it('reads "false" as false and "1" as true, and refuses anything else', () => {
    expect(loadConfig(schema, { FLAG: 'false' }).FLAG).toBe(false);
    expect(loadConfig(schema, { FLAG: '1' }).FLAG).toBe(true);
    expect(() => loadConfig(schema, { FLAG: 'yes' })).toThrow(ConfigError);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig(schema, { PORT: 'abc', FLAG: 'maybe', REDIS_URL: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/FLAG/);
      expect(problems).toMatch(/REDIS_URL/);
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });

  it('rejects out-of-range integers', () => {
    expect(() => loadConfig(schema, { PORT: '70000' })).toThrow(/PORT/);
  });

  it('requires MONGO_URL to be a MongoDB URL', () => {
    expect(() => loadConfig(mongoEnv, { MONGO_URL: 'http://x' })).toThrow(/MONGO_URL/);
    expect(loadConfig(mongoEnv, { MONGO_URL: 'mongodb://h:1' }).MONGO_DB).toBe('tally');
  });

  it('parses tokens into hashes and never keeps the token', () => {
    const config = loadConfig(tokensEnv, { TALLY_TOKENS: 'acme:token-aaaa, beta:token-bbbb' });
    expect(config.TALLY_TOKENS.map((t) => t.workspace)).toEqual(['acme', 'beta']);
    expect(JSON.stringify(config)).not.toContain('token-aaaa');
    expect(() => loadConfig(tokensEnv, { TALLY_TOKENS: 'no-colon' })).toThrow(/TALLY_TOKENS/);
    expect(() => loadConfig(tokensEnv, { TALLY_TOKENS: 'acme:short' })).toThrow(/≥ 8/);
  });

  it('reads METRICS_PORT unset or empty as off, 0 as a free port, and refuses a non-port', () => {
    expect(loadConfig(metricsEnv, {}).METRICS_PORT).toBeUndefined();
    expect(loadConfig(metricsEnv, { METRICS_PORT: '' }).METRICS_PORT).toBeUndefined();
    expect(loadConfig(metricsEnv, { METRICS_PORT: '0' }).METRICS_PORT).toBe(0);
    expect(loadConfig(metricsEnv, { METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
    expect(() => loadConfig(metricsEnv, { METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig(metricsEnv, { METRICS_PORT: 'x' })).toThrow(/METRICS_PORT/);
  });

  it('composes with other zod objects', () => {
    const merged = schema.extend(z.object({ X: z.string().default('y') }).shape);
    expect(loadConfig(merged, {}).X).toBe('y');
  });
});

describe('loadConfigOrExit', () => {
  it('returns the configuration when it is valid', async () => {
    const { loadConfigOrExit } = await import('./load-config.js');
    expect(loadConfigOrExit(schema, { PORT: '8080' }, 'test').PORT).toBe(8080);
  });
});
