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
  /** A micro-batch is flushed to one BullMQ job after this many milliseconds… */
  BATCH_MAX_WAIT_MS: envInt(5, 0, 1000),
  /** …or as soon as it holds this many summaries. */
  BATCH_MAX_SUMMARIES: envInt(500, 1, 10_000),
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
  /** Level of the one log line per request (method, route, status, latency, request id, workspace); `silent` turns it off. */
  REQUEST_LOG_LEVEL: z.enum(['info', 'debug', 'trace', 'silent']).default('info'),
  /** How often MongoDB's api_tokens are reloaded: a created or revoked token takes effect within this. */
  TOKEN_REFRESH_MS: envInt(10_000, 100, 3_600_000),
});

export type IngressConfig = z.output<typeof ingressConfigSchema>;
