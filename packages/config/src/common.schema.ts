import { createHash } from 'node:crypto';
import { z } from 'zod';

/** MongoDB connection. */
export const mongoEnv = z.object({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('tally'),
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
