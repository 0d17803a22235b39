import { envInt, logEnv, mongoEnv, redisEnv, tokensEnv } from '@tally/config';
import { z } from 'zod';

/** Everything the ingress reads from its environment. */
export const ingressConfigSchema = z.object({
  ...redisEnv.shape,
  ...mongoEnv.shape,
  ...logEnv.shape,
  /**
   * May be unset or empty: tokens then come only from MongoDB's api_tokens (`npm run tally --
   * tokens create`). An empty string counts as unset, as compose files pass `${TALLY_TOKENS:-}`.
   */
  TALLY_TOKENS: z
    .preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), tokensEnv.shape.TALLY_TOKENS.optional())
    .transform((tokens) => tokens ?? []),
  PORT: envInt(3000, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * Group commit: requests that arrive while BATCH_MAX_IN_FLIGHT job adds are under way gather
   * and go as one job when one completes; otherwise they are added at the end of the event-loop
   * turn, with no timer. 1 measured as good as 2 (docs/performance.md) with fewer jobs.
   */
  BATCH_MAX_IN_FLIGHT: envInt(1, 1, 64),
  /** A job holds at most this many summaries. */
  BATCH_MAX_SUMMARIES: envInt(500, 1, 10_000),
  /** Optional linger before an add that could start now (0: none; group commit needs no timer). */
  BATCH_MAX_WAIT_MS: envInt(0, 0, 1000),
  /** An add that Redis has not confirmed within this time is answered 503. */
  ENQUEUE_TIMEOUT_MS: envInt(800, 50, 10_000),
  /** A summary read (GET /events) MongoDB has not answered within this time is answered 503. */
  READ_TIMEOUT_MS: envInt(2500, 100, 60_000),
  /** Backlog cap: past this many waiting jobs the ingress answers 503 until workers catch up. */
  BACKLOG_MAX_JOBS: envInt(10_000, 1),
  /** How often the backlog is measured. */
  BACKLOG_POLL_MS: envInt(500, 50, 60_000),
  /** Seconds a client is told to wait (Retry-After) on a 503. */
  RETRY_AFTER_SECONDS: envInt(2, 1, 3600),
  /** Idempotency-Key dedup window, in seconds (the worker's LEDGER_TTL_SECONDS must be at least this). */
  IDEMPOTENCY_TTL_SECONDS: envInt(7 * 24 * 3600, 60),
  /** Largest accepted request body, in bytes. */
  BODY_LIMIT_BYTES: envInt(1024 * 1024, 1024),
  /** On SIGTERM, how long in-flight requests may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: envInt(10_000, 0),
  /** How often MongoDB's api_tokens are reloaded: a created or revoked token takes effect within this. */
  TOKEN_REFRESH_MS: envInt(10_000, 100, 3_600_000),
});

export type IngressConfig = z.output<typeof ingressConfigSchema>;
