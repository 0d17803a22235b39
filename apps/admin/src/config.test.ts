import { ConfigError, loadConfig } from '@tally/config';
import { describe, expect, it } from 'vitest';
import { adminConfigSchema } from './config.js';

describe('adminConfigSchema', () => {
  it('refuses to start without a password', () => {
    expect(() => loadConfig(adminConfigSchema, {})).toThrow(ConfigError);
    expect(() => loadConfig(adminConfigSchema, {})).toThrow(/ADMIN_PASSWORD: required/);
    expect(() => loadConfig(adminConfigSchema, { ADMIN_PASSWORD: 'short' })).toThrow(/at least 8/);
  });

  it('defaults to port 3001 on loopback, user admin, queue prefix tally', () => {
    const config = loadConfig(adminConfigSchema, { ADMIN_PASSWORD: 'long-enough' });
    expect(config).toMatchObject({ ADMIN_PORT: 3001, ADMIN_HOST: '127.0.0.1', ADMIN_USER: 'admin', QUEUE_PREFIX: 'tally' });
  });

  it('reads every variable and rejects a user name with a colon', () => {
    const config = loadConfig(adminConfigSchema, {
      ADMIN_PASSWORD: 'long-enough',
      ADMIN_PORT: '4000',
      ADMIN_HOST: '0.0.0.0',
      ADMIN_USER: 'ops',
      REDIS_URL: 'redis://redis:6379',
      QUEUE_PREFIX: 'staging',
    });
    expect(config).toMatchObject({
      ADMIN_PORT: 4000,
      ADMIN_HOST: '0.0.0.0',
      ADMIN_USER: 'ops',
      REDIS_URL: 'redis://redis:6379',
      QUEUE_PREFIX: 'staging',
    });
    expect(() => loadConfig(adminConfigSchema, { ADMIN_PASSWORD: 'long-enough', ADMIN_USER: 'a:b' })).toThrow(/ADMIN_USER/);
  });
});
