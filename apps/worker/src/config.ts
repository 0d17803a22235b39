import { dedupEnv, envInt, eventsEnv, logEnv, metricsEnv, mongoEnv, redisEnv, redisRules } from '@tally/config';
import { z } from 'zod';

/** Everything the worker reads from its environment. */
export const workerConfigSchema = z
  .object({
    ...redisEnv.shape,
    ...mongoEnv.shape,
    ...logEnv.shape,
    ...eventsEnv.shape,
    /** The dedup window: how long the ledger remembers job ids and idempotency keys. */
    ...dedupEnv.shape,
    ...metricsEnv.shape,
    /**
     * Jobs this process holds at once (per shard). They share MongoDB transactions (group
     * commit: one transaction under way per shard, the jobs that arrive meanwhile go together
     * next), so this bounds how many small jobs one transaction can combine.
     */
    WORKER_CONCURRENCY: envInt(32, 1, 256),
    /** At most this many summaries in one transaction shared by several jobs; a heavier job goes alone. */
    WORKER_TRANSACTION_MAX_SUMMARIES: envInt(5000, 1, 100_000),
    /**
     * How long a job's lock lives without renewal. A worker that dies mid-job releases its jobs
     * after this long; BullMQ renews it at half this period while the job runs.
     */
    WORKER_LOCK_DURATION_MS: envInt(30_000, 1000),
    /** How often workers look for stalled jobs (whose worker died). */
    WORKER_STALLED_INTERVAL_MS: envInt(15_000, 500),
    /**
     * How often one job may stall before it is failed. Re-running a job is safe (the ledger), so
     * this is high: a job must survive several worker crashes in a row.
     */
    WORKER_MAX_STALLED_COUNT: envInt(10, 0, 1000),
    /** On SIGTERM, how long in-flight jobs may take before the worker closes anyway. */
    SHUTDOWN_TIMEOUT_MS: envInt(10_000, 0),
  })
  .superRefine(redisRules);

export type WorkerConfig = z.output<typeof workerConfigSchema>;
