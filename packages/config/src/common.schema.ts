import { createHash } from 'node:crypto';
import { z } from 'zod';
import { envBoolean, envInt } from './env-types.js';

/** MongoDB connection. */
export const mongoEnv = z.object({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('tally'),
  /**
   * Accept a standalone MongoDB (no transactions, so no ingest ledger): delivery becomes
   * at-least-once, a retried job can count twice. Without it a worker refuses to start there.
   */
  MONGO_ALLOW_STANDALONE: envBoolean(false),
});

/**
 * Raw events: how long they stay listable (`GET /events` without `summary=true`). The worker
 * sets the TTL index from it and the ingress filters by it, so set the same value on both.
 */
export const eventsEnv = z.object({
  EVENTS_RETENTION_SECONDS: envInt(90 * 24 * 3600, 1),
});

/**
 * The dedup window, one setting for every process: how long the ingress's Redis reservation of an
 * Idempotency-Key (or a raw event's key) and the worker's ingest ledger remember it. Two settings
 * could drift apart, leaving a window where Redis forgot a key the ledger still holds, or back.
 */
export const dedupEnv = z.object({
  DEDUP_WINDOW_SECONDS: envInt(7 * 24 * 3600, 60),
});

/** Logging. */
export const logEnv = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

export interface TokenEntry {
  workspace: string;
  /** sha256 of the token, hex; the token itself is not kept. */
  tokenHash: string;
}

/** Parses `workspace:token,workspace:token`; throws a message naming the bad entry. */
export function parseTokens(raw: string): TokenEntry[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((pair, index) => {
      const at = pair.indexOf(':');
      const workspace = pair.slice(0, at);
      const token = pair.slice(at + 1);
      if (at <= 0 || token.length < 8 || !/^[A-Za-z0-9_.-]{1,64}$/.test(workspace)) {
        throw new Error(`entry ${index + 1} must be workspace:token (workspace [A-Za-z0-9_.-]{1,64}, token ≥ 8 chars)`);
      }
      return { workspace, tokenHash: createHash('sha256').update(token).digest('hex') };
    });
}

/** API tokens for local runs and tests: `TALLY_TOKENS=workspace:token,…`. */
export const tokensEnv = z.object({
  TALLY_TOKENS: z
    .string()
    .min(1, 'set at least one workspace:token pair')
    .transform((raw, ctx) => {
      try {
        return parseTokens(raw);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
});

/**
 * Prometheus `/metrics`, on a port of the process's own (never the public API port). Unset or
 * empty: no metrics server. `0`: a free port, logged at startup (tests, several processes on one
 * machine). Bound to all interfaces by default, as Prometheus scrapes from another host.
 */
export const metricsEnv = z.object({
  METRICS_PORT: z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.string().regex(/^\d+$/, 'must be a port number').optional(),
    )
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number().int().min(0).max(65535).optional()),
  METRICS_HOST: z.string().min(1).default('0.0.0.0'),
});
