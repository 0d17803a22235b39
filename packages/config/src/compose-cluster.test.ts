import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from './load-config.js';
import { redisEnv, redisRules, redisTargetOf } from './redis.schema.js';

/**
 * The compose `cluster` profile and its override, checked without a Docker engine: the files are
 * parsed (anchors and merge keys resolved, as compose does), and the environment each app gets
 * is run through the same Redis rules the processes apply at start.
 */

interface Service {
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (file: string) => parse(readFileSync(join(root, file), 'utf8'), { merge: true }) as ComposeFile;
const base = read('docker-compose.yml');
const override = read('docker-compose.cluster.yml');
const APPS = ['ingress', 'worker', 'admin'] as const;

/** Compose's interpolation, for what these files use: `${VAR:-default}`, `${VAR:?error}` (set here) and `$$`. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
    .replace(/\$\{[A-Z_]+:\?[^}]*\}/g, 'set-by-the-operator')
    .replace(/\$\$/g, '$');
}
const envOf = (...layers: (Record<string, string> | undefined)[]) =>
  Object.fromEntries(Object.entries(Object.assign({}, ...layers) as Record<string, string>).map(([k, v]) => [k, interpolate(String(v))]));
const redisSchema = redisEnv.superRefine(redisRules);

const nodes = Object.keys(base.services).filter((name) => /^redis-node-\d+$/.test(name));

describe('docker compose --profile cluster', () => {
  it('runs six cluster-enabled nodes, each fsyncing every write into its own volume', () => {
    expect(nodes).toHaveLength(6);
    for (const name of nodes) {
      const node = base.services[name]!;
      expect(node.profiles, name).toEqual(['cluster']);
      const args = node.command!.join(' ');
      expect(args, name).toContain('--cluster-enabled yes');
      expect(args, name).toContain('--appendonly yes');
      expect(args, name).toContain('--appendfsync always');
      expect(node.volumes, name).toEqual([`${name}:/data`]);
      expect(base.volumes, name).toHaveProperty(name);
    }
  });

  it('joins them once they are healthy, as 3 primaries with a replica each, with a script sh accepts', () => {
    const init = base.services['redis-cluster-init']!;
    expect(init.profiles).toEqual(['cluster']);
    expect(Object.keys(init.depends_on!).sort()).toEqual([...nodes].sort());
    for (const dep of Object.values(init.depends_on!)) expect(dep.condition).toBe('service_healthy');
    const script = interpolate(init.command!.at(-1)!);
    expect(script).toMatch(/redis-cli --cluster create .* --cluster-replicas 1/);
    const numbers = /for n in ([\d ]+);/.exec(script)?.[1]?.trim().split(' ');
    expect(numbers?.map((n) => `redis-node-${n}`).sort()).toEqual([...nodes].sort());
    const syntax = spawnSync('sh', ['-n', '-c', script], { encoding: 'utf8' });
    expect(syntax.stderr).toBe('');
    expect(syntax.status).toBe(0);
  });

  it('switches ingress, worker and admin to the cluster with 3 shards, the ingress with WAIT 1, after the init', () => {
    for (const app of APPS) {
      expect(base.services[app], app).toBeDefined();
      const layer = override.services[app]!;
      const env = envOf(base.services[app]!.environment, layer.environment);
      const config = loadConfig(redisSchema, env);
      const target = redisTargetOf(config);
      expect(target.kind, app).toBe('cluster');
      const seeds = target.kind === 'cluster' ? target.seeds : [];
      expect(seeds.map((s) => s.host).sort(), app).toEqual([...nodes].sort());
      expect(new Set(seeds.map((s) => s.port)), app).toEqual(new Set([6379]));
      expect(config.QUEUE_SHARDS, app).toBe(3);
      expect(layer.depends_on, app).toEqual({ 'redis-cluster-init': { condition: 'service_completed_successfully' } });
    }
    expect(override.services.ingress!.environment!.REDIS_WAIT_REPLICAS).toBe('1');
  });

  it('leaves the default deployment on its single Redis', () => {
    for (const app of APPS) {
      const target = redisTargetOf(loadConfig(redisSchema, envOf(base.services[app]!.environment)));
      expect(target, app).toEqual({ kind: 'single', url: 'redis://redis:6379' });
    }
  });
});
