import { join } from 'node:path';

/** What `npm start` runs with; every value can be overridden through the environment. */
export interface StackConfig {
  /** Existing Redis to use instead of starting one. */
  redisUrl: string | undefined;
  /** Existing MongoDB to use instead of starting the emulator. */
  mongoUrl: string | undefined;
  mongoDb: string;
  port: number;
  adminPort: number;
  tallyTokens: string;
  /** The first token of `tallyTokens`, for the printed curl examples. */
  devToken: string;
  /** The workspace of that token, for the printed export line. */
  devWorkspace: string;
  logLevel: string;
  /** HTTP Basic credentials of the admin, which refuses to start without a password. */
  adminUser: string;
  adminPassword: string;
  /** Local state: `.tally/` at the repo root unless TALLY_STATE_DIR says otherwise (tests). */
  stateDir: string;
  /** Where the local Redis keeps its AOF. */
  redisDir: string;
  /** Where the launcher tells `npm run tally` which stack runs (see @tally/config's LocalStackFile). */
  stackFile: string;
  /** `npm start -- --reset`: start from empty stores (the local Redis's AOF is deleted). */
  reset: boolean;
}

/** The token new checkouts use; printed so a newcomer can paste the curl line as is. */
export const DEFAULT_TOKENS = 'default:dev-token-change-me';

/** The admin's development password; printed, like the token, so the board opens at once. */
export const DEFAULT_ADMIN_PASSWORD = 'dev-admin-change-me';

/** Reads the launcher's settings; the apps validate the rest themselves (they own their schemas). */
export function readStackConfig(env: NodeJS.ProcessEnv, repoRoot: string, argv: readonly string[] = []): StackConfig {
  const unknown = argv.find((arg) => arg !== '--reset');
  if (unknown !== undefined) throw new Error(`unknown argument "${unknown}" (npm start takes only --reset)`);
  const stateDir = nonEmpty(env.TALLY_STATE_DIR) ?? join(repoRoot, '.tally');
  const tallyTokens = nonEmpty(env.TALLY_TOKENS) ?? DEFAULT_TOKENS;
  const first = tallyTokens.split(',')[0]?.trim() ?? '';
  return {
    redisUrl: nonEmpty(env.REDIS_URL),
    mongoUrl: nonEmpty(env.MONGO_URL),
    mongoDb: nonEmpty(env.MONGO_DB) ?? 'tally',
    port: port(env.PORT, 3000, 'PORT'),
    adminPort: port(env.ADMIN_PORT, 3001, 'ADMIN_PORT'),
    tallyTokens,
    devToken: first.slice(first.indexOf(':') + 1),
    devWorkspace: first.slice(0, Math.max(first.indexOf(':'), 0)),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    adminUser: nonEmpty(env.ADMIN_USER) ?? 'admin',
    adminPassword: nonEmpty(env.ADMIN_PASSWORD) ?? DEFAULT_ADMIN_PASSWORD,
    stateDir,
    redisDir: join(stateDir, 'redis'),
    stackFile: join(stateDir, 'stack.json'),
    reset: argv.includes('--reset'),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function port(raw: string | undefined, fallback: number, name: string): number {
  if (nonEmpty(raw) === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name}=${raw} is not a TCP port`);
  return value;
}
