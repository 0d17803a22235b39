import { dedupEnv, envInt, eventsEnv, logEnv, metricsEnv, mongoEnv, redisEnv, redisRules, tokensEnv } from '@tally/config';
import { z } from 'zod';
import { httpLimitsEnv } from './http-limits.js';

/** Everything the ingress reads from its environment. */
export const ingressConfigSchema = z
  .object({
    ...redisEnv.shape,
    ...mongoEnv.shape,
    ...logEnv.shape,
    ...eventsEnv.shape,
    /** Request, header and keep-alive deadlines, connection caps (http-limits.ts). */
    ...httpLimitsEnv.shape,
    /** The dedup window: how long a done Idempotency-Key reservation is kept in Redis. */
    ...dedupEnv.shape,
    ...metricsEnv.shape,
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
    /**
     * Replicas that must confirm a job (Redis WAIT) before its requests get 200; fewer within
     * REDIS_WAIT_TIMEOUT_MS is a 503 the client retries. 0 (default): the primary's word is
     * enough, and a failover right after an add can lose that job. 1 on a cluster with replicas.
     */
    REDIS_WAIT_REPLICAS: envInt(0, 0, 16),
    /** How long one WAIT may block; must leave room in ENQUEUE_TIMEOUT_MS. */
    REDIS_WAIT_TIMEOUT_MS: envInt(200, 1, 10_000),
    /** A summary read (GET /events) MongoDB has not answered within this time is answered 503. */
    READ_TIMEOUT_MS: envInt(2500, 100, 60_000),
    /** Backlog cap: past this many waiting jobs the ingress answers 503 until workers catch up. */
    BACKLOG_MAX_JOBS: envInt(10_000, 1),
    /** Backlog cap in summaries queued and not yet applied (each is ~0.1–0.2 KB of Redis memory). */
    BACKLOG_MAX_SUMMARIES: envInt(1_000_000, 1),
    /** Percent of BACKLOG_MAX_SUMMARIES one workspace may hold before its own requests get 429. */
    BACKLOG_WORKSPACE_SHARE_PERCENT: envInt(50, 1, 100),
    /** Percent of Redis's maxmemory (when one is set) past which the ingress answers 503. */
    REDIS_MEMORY_MAX_PERCENT: envInt(80, 1, 100),
    /** Consecutive failed backlog measurements after which the replica is not ready (503). */
    BACKLOG_MAX_FAILED_POLLS: envInt(3, 1, 1000),
    /** How often the backlog is measured. */
    BACKLOG_POLL_MS: envInt(500, 50, 60_000),
    /** Seconds a client is told to wait (Retry-After) on a 503. */
    RETRY_AFTER_SECONDS: envInt(2, 1, 3600),
    /** Largest accepted request body, in bytes. */
    BODY_LIMIT_BYTES: envInt(1024 * 1024, 1024),
    /** On SIGTERM, how long in-flight requests may take before the process exits anyway. */
    SHUTDOWN_TIMEOUT_MS: envInt(10_000, 0),
    /**
     * Requests per minute per workspace, spread over 10-second windows (Intercom's shape: a sixth
     * of it per window), shared by every replica. 0 = no limit.
     */
    RATE_LIMIT_PER_MINUTE: envInt(0, 0, 100_000_000),
    /** The same per token, for workspaces that hand out several. 0 = no limit. */
    RATE_LIMIT_PER_TOKEN_PER_MINUTE: envInt(0, 0, 100_000_000),
    /** Level of the one log line per request (method, route, status, latency, request id, workspace); `silent` turns it off. */
    REQUEST_LOG_LEVEL: z.enum(['info', 'debug', 'trace', 'silent', 'errors']).default('info'),
    /**
     * How far V8 lets the heap grow past what survived the last full collection before it runs
     * the next, in percent (V8's `--heap-growing-percent`). A busy ingress makes mostly
     * short-lived garbage: left to its own heuristics V8 let the heap grow to several times the
     * live set (peak RSS 160–230 MB at saturation, against about 30 MB live); at 50 it stayed
     * under 150 MB at no measurable CPU cost. 0 leaves V8's own heuristics.
     */
    HEAP_GROWING_PERCENT: envInt(50, 0, 1000),
    /** How often MongoDB's api_tokens are reloaded: a created or revoked token takes effect within this. */
    TOKEN_REFRESH_MS: envInt(10_000, 100, 3_600_000),
    /**
     * Where tokens come from: `env` (TALLY_TOKENS only; MongoDB is never asked and an unknown
     * token is a 401 from the start), `mongo` (api_tokens only) or `both`. With `mongo` and
     * `both`, an unknown token gets 503 and /readyz stays 503 until api_tokens loaded once.
     */
    TOKEN_SOURCE: z.enum(['env', 'mongo', 'both']).default('both'),
  })
  .superRefine((config, ctx) => {
    if (config.METRICS_PORT !== undefined && config.METRICS_PORT !== 0 && config.METRICS_PORT === config.PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'must differ from PORT: metrics are never served on the public API port',
      });
    }
    if (config.REDIS_WAIT_REPLICAS > 0 && config.REDIS_WAIT_TIMEOUT_MS >= config.ENQUEUE_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_WAIT_TIMEOUT_MS'],
        message: 'must be below ENQUEUE_TIMEOUT_MS (the add and its WAIT share it)',
      });
    }
    if (config.TOKEN_SOURCE === 'env' && config.TALLY_TOKENS.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['TALLY_TOKENS'], message: 'TOKEN_SOURCE=env needs at least one workspace:token pair' });
    }
    if (config.TOKEN_SOURCE === 'mongo' && config.TALLY_TOKENS.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['TALLY_TOKENS'], message: 'TOKEN_SOURCE=mongo accepts no TALLY_TOKENS: unset it or use both' });
    }
  })
  .superRefine(redisRules);

export type IngressConfig = z.output<typeof ingressConfigSchema>;
