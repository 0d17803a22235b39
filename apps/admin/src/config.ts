import { envInt, logEnv, metricsEnv, mongoEnv, redisEnv, redisRules } from '@tally/config';
import { z } from 'zod';

/** Shortest accepted admin password; the admin can retry and drop every job in the queue. */
export const MIN_ADMIN_PASSWORD_LENGTH = 8;

/** Everything the admin process reads from its environment. */
export const adminConfigSchema = z
  .object({
    ...redisEnv.shape,
    ...logEnv.shape,
    ...metricsEnv.shape,
    /** How often the queue's depth gauges are sampled from Redis. */
    METRICS_SAMPLE_MS: envInt(5000, 100, 300_000),
    ADMIN_PORT: envInt(3001, 0, 65535),
    /**
     * Loopback by default: the admin can re-drive and delete jobs, so exposing it is a decision
     * (the compose file sets 0.0.0.0 inside its private network and publishes the port).
     */
    ADMIN_HOST: z.string().min(1).default('127.0.0.1'),
    /** HTTP Basic user name; a colon would make the Basic credentials ambiguous. */
    ADMIN_USER: z
      .string()
      .min(1)
      .regex(/^[^:]+$/, 'must not contain ":"')
      .default('admin'),
    /** HTTP Basic password. Required: there is no default, so an admin never runs open by accident. */
    ADMIN_PASSWORD: z
      .string({ error: 'required: the admin refuses to start without a password' })
      .min(MIN_ADMIN_PASSWORD_LENGTH, `must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`),
    /** On SIGTERM, how long in-flight requests may take before the process exits anyway. */
    SHUTDOWN_TIMEOUT_MS: envInt(5000, 0),
  })
  .refine((c) => c.METRICS_PORT === undefined || c.METRICS_PORT === 0 || c.METRICS_PORT !== c.ADMIN_PORT, {
    path: ['METRICS_PORT'],
    message: 'must differ from ADMIN_PORT',
  })
  .superRefine(redisRules);

export type AdminConfig = z.output<typeof adminConfigSchema>;

/**
 * What `npm run tally -- dlq …` reads: only where the queue lives. REDIS_URL has no default here:
 * an operator command that deletes jobs must never guess its Redis (6379 is often some other one);
 * REDIS_CLUSTER_NODES names a cluster instead.
 */
export const cliConfigSchema = redisEnv.superRefine((config, ctx) => {
  if (config.REDIS_URL === undefined && config.REDIS_CLUSTER_NODES === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: 'required: the Redis of the deployment (or REDIS_CLUSTER_NODES), unless npm start runs (the CLI then finds its stack)',
    });
  }
  redisRules(config, ctx);
});

export type CliConfig = z.output<typeof cliConfigSchema>;

/** What `npm run tally -- tokens …` reads: where api_tokens lives. */
export const tokensCliConfigSchema = mongoEnv;
