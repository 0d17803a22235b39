import { z } from 'zod';
import { envInt } from './env-types.js';

/** A seed node of a Redis Cluster. */
export interface ClusterSeed {
  host: string;
  port: number;
}

/** Where Tally's queues live: one Redis (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). */
export type RedisTarget = { kind: 'single'; url: string } | { kind: 'cluster'; seeds: readonly ClusterSeed[] };

/** Used when neither REDIS_URL nor REDIS_CLUSTER_NODES is set. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Parses `host:port,host:port`; throws a message naming the bad entry. */
export function parseClusterSeeds(raw: string): ClusterSeed[] {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0) throw new Error('list at least one host:port');
  return entries.map((entry, index) => {
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) throw new Error(`entry ${index + 1} (${entry}) must be host:port`);
    return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port };
  });
}

/** Where the queues live, and how they are split. Every process that touches a queue reads these. */
export const redisEnv = z.object({
  /**
   * One Redis. Default redis://127.0.0.1:6379 when REDIS_CLUSTER_NODES is unset too. Empty counts
   * as unset, so a compose override can switch a service to a cluster (`REDIS_URL: ""`).
   */
  REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /** Seed nodes of a Redis Cluster, `host:port,…`; replaces REDIS_URL (setting both is an error). */
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      try {
        return parseClusterSeeds(raw);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Prefix of every BullMQ key; queues are `{prefix}:{queue}` so one Redis can host several Tallys. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/)
    .default('tally'),
  /**
   * Queues the summaries are spread over (1 = one queue). On a cluster, one or more per primary:
   * each shard's keys live on one slot, and shards are spread evenly over the slot space.
   */
  QUEUE_SHARDS: envInt(1, 1, 64),
});

type RedisEnv = z.output<typeof redisEnv>;

/**
 * The rules that span variables (add with `.superRefine(redisRules)` to a schema that includes
 * {@link redisEnv}): one target only, and no hash tag in the prefix on a cluster, where it would
 * pin every shard to one slot.
 */
export function redisRules(config: Pick<RedisEnv, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'QUEUE_PREFIX'>, ctx: z.RefinementCtx): void {
  if (config.REDIS_CLUSTER_NODES === undefined) return;
  if (config.REDIS_URL !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message: 'set REDIS_URL or REDIS_CLUSTER_NODES, not both' });
  }
  if (/[{}]/.test(config.QUEUE_PREFIX)) {
    ctx.addIssue({
      code: 'custom',
      path: ['QUEUE_PREFIX'],
      message: 'must not contain { or } with REDIS_CLUSTER_NODES (shards carry their own hash tags)',
    });
  }
}

/** The target a validated configuration names. */
export function redisTargetOf(config: {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_CLUSTER_NODES?: readonly ClusterSeed[] | undefined;
}): RedisTarget {
  if (config.REDIS_CLUSTER_NODES !== undefined) return { kind: 'cluster', seeds: config.REDIS_CLUSTER_NODES };
  return { kind: 'single', url: config.REDIS_URL ?? DEFAULT_REDIS_URL };
}
