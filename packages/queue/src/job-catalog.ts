import { type SummaryBatchJob, summaryBatchJobSchema } from '@tally/contracts';
import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { CAPPED_EXPONENTIAL } from './backoff.js';
import { JOBS } from './names.js';

/**
 * Every job Tally enqueues: its payload schema (checked by producer tests and by the worker
 * before anything is applied) and its options.
 */
export const JOB_CATALOG = {
  [JOBS.applySummaries]: {
    schema: summaryBatchJobSchema,
    options: {
      // Transient faults (MongoDB down, write conflicts) are retried with capped exponential
      // backoff (see backoff.ts): 1000 attempts ≈ 16 hours of outage before the job lands in
      // the failed set for `tally dlq retry`. Malformed jobs skip retries (UnrecoverableError).
      attempts: 1000,
      backoff: { type: CAPPED_EXPONENTIAL },
      // Completed jobs are only kept briefly: the ingest ledger, not Redis, remembers what was applied.
      removeOnComplete: { age: 3600, count: 10_000 },
      // Failed jobs are the dead-letter set: kept until an operator re-drives or drops them.
      removeOnFail: false,
    } satisfies JobsOptions,
  },
} as const;

export type JobName = keyof typeof JOB_CATALOG;
export type JobPayload<N extends JobName> = N extends typeof JOBS.applySummaries ? SummaryBatchJob : never;

/** Validates a job's data against its catalog schema. */
export function parseJobPayload<N extends JobName>(name: N, data: unknown): z.ZodSafeParseResult<JobPayload<N>> {
  return JOB_CATALOG[name].schema.safeParse(data) as z.ZodSafeParseResult<JobPayload<N>>;
}
