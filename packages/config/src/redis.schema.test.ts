import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';
import { parseClusterSeeds, redisEnv, redisRules, redisTargetOf } from './redis.schema.js';

const schema = redisEnv.superRefine(redisRules);

function problems(env: Record<string, string>): string {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
}

describe('redis configuration', () => {
  it('defaults to one local Redis and one queue', () => {
    const config = loadConfig(schema, {});
    expect(redisTargetOf(config)).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379' });
    expect(config.QUEUE_SHARDS).toBe(1);
  });

  it('reads an empty REDIS_URL as unset, so an override can switch to a cluster', () => {
    const config = loadConfig(schema, { REDIS_URL: '', REDIS_CLUSTER_NODES: 'r1:7000' });
    expect(redisTargetOf(config)).toEqual({ kind: 'cluster', seeds: [{ host: 'r1', port: 7000 }] });
  });

  it('names a cluster by its seed nodes', () => {
    const config = loadConfig(schema, { REDIS_CLUSTER_NODES: 'r1:7000,r2:7001', QUEUE_SHARDS: '3' });
    expect(redisTargetOf(config)).toEqual({
      kind: 'cluster',
      seeds: [
        { host: 'r1', port: 7000 },
        { host: 'r2', port: 7001 },
      ],
    });
  });

  it('refuses both targets at once, a hash tag in the prefix on a cluster, and a bad seed — all in one report', () => {
    expect(problems({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'r1:7000' })).toMatch(
      /REDIS_CLUSTER_NODES: set REDIS_URL or REDIS_CLUSTER_NODES, not both/,
    );
    expect(problems({ REDIS_CLUSTER_NODES: 'r1:7000', QUEUE_PREFIX: '{tally}' })).toMatch(/QUEUE_PREFIX: must not contain/);
    expect(problems({ REDIS_CLUSTER_NODES: 'r1:7000,r2', QUEUE_SHARDS: '0' })).toMatch(
      /REDIS_CLUSTER_NODES: entry 2 \(r2\)[\s\S]*QUEUE_SHARDS/,
    );
  });
});

describe('parseClusterSeeds', () => {
  it('reads host:port lists, IPv6 in brackets, and names a bad entry', () => {
    expect(parseClusterSeeds('10.0.0.1:7000, redis-b:7001')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
    ]);
    expect(parseClusterSeeds('[::1]:7000')).toEqual([{ host: '::1', port: 7000 }]);
    expect(() => parseClusterSeeds('a:1,b')).toThrow(/entry 2 \(b\)/);
    expect(() => parseClusterSeeds(' , ')).toThrow(/at least one/);
    expect(() => parseClusterSeeds('a:70000')).toThrow(/entry 1/);
  });
});
