import { hash } from 'node:crypto';
import type { TokenEntry } from '@tally/config';
import type { Logger } from '@tally/logger';

/**
 * Where accepted tokens come from (TOKEN_SOURCE). `env`: TALLY_TOKENS only, MongoDB never asked.
 * `mongo`: api_tokens only. `both`: TALLY_TOKENS at once, plus api_tokens once loaded.
 */
export type TokenSource = 'env' | 'mongo' | 'both';

/** Options for {@link TokenCache}. */
export interface TokenCacheOptions {
  /** Default `both`. */
  source?: TokenSource;
  /** Tokens from `TALLY_TOKENS`: accepted from the first request on, whatever MongoDB does. */
  envTokens: readonly TokenEntry[];
  /** Reads the active tokens of `api_tokens`; rejects while MongoDB is unreachable. */
  load: () => Promise<readonly TokenEntry[]>;
  /** Time between two loads. */
  refreshMs: number;
  logger: Logger;
  /** While loads keep failing, at most one warning per this many milliseconds (default 60 s). */
  warnEveryMs?: number;
  /** Clock in milliseconds; tests pin it. */
  now?: () => number;
}

/** sha256 (hex) of every accepted token → its workspace. */
function byHash(entries: readonly TokenEntry[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { tokenHash, workspace } of entries) if (!map.has(tokenHash)) map.set(tokenHash, workspace);
  return map;
}

/**
 * The tokens the ingress accepts: `TALLY_TOKENS` plus MongoDB's active `api_tokens`, held in
 * memory and reloaded in the background. Authentication reads only this memory, so MongoDB is
 * never on the request path: while it is down, the last tokens it gave keep working, and a token
 * created or revoked there takes effect within one refresh interval.
 *
 * Until one load has succeeded the cache is not authoritative: a token it does not know may be
 * one MongoDB would have known, so the ingress answers 503 (retry), never 401 (SDKs drop the
 * events) — unless the source is `env`, where the cache knows every token from the start.
 */
export class TokenCache {
  private readonly envTokens: readonly TokenEntry[];
  private readonly source: TokenSource;
  private hashes: Map<string, string>;
  private mongoCount = 0;
  private loadedOnce = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<boolean> | undefined;
  private stopped = false;
  private failing = false;
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;
  private readonly now: () => number;

  constructor(private readonly options: TokenCacheOptions) {
    this.source = options.source ?? 'both';
    this.envTokens = this.source === 'mongo' ? [] : [...options.envTokens];
    this.hashes = byHash(this.envTokens);
    this.now = options.now ?? Date.now;
  }

  /**
   * The workspace of a presented token, or null. One map lookup by the token's SHA-256: no
   * secret is compared byte by byte, so there is no timing to measure. The time a lookup takes
   * depends on the digest, which an attacker cannot steer toward a stored hash without
   * inverting SHA-256 — which is also why a constant-time loop over every hash buys nothing.
   */
  workspaceFor(token: string): string | null {
    return this.hashes.get(hash('sha256', token, 'hex')) ?? null;
  }

  /** True when a token this cache does not know is certainly not a valid token. */
  authoritative(): boolean {
    return this.source === 'env' || this.loadedOnce;
  }

  /** How many of {@link entries} came from MongoDB at the last successful load. */
  get mongoTokens(): number {
    return this.mongoCount;
  }

  /**
   * Starts the first load and the refresh timer, and returns at once: the ingress starts, with
   * its `TALLY_TOKENS`, while MongoDB is down.
   */
  start(): void {
    if (this.source === 'env') return; // MongoDB is never asked
    if (this.source === 'both' && this.envTokens.length === 0) {
      this.options.logger.warn('TALLY_TOKENS is empty: only tokens in MongoDB api_tokens are accepted');
    }
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs);
    this.timer.unref();
  }

  /** Stops refreshing; the tokens in memory stay as they are. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /**
   * Loads MongoDB's tokens now; true when that worked. A failed load keeps the last known set.
   * Concurrent calls share one load, so a slow MongoDB never piles up reads.
   */
  refresh(): Promise<boolean> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<boolean> {
    try {
      const fromMongo = await this.options.load();
      if (this.stopped) return false;
      this.hashes = byHash([...this.envTokens, ...fromMongo]);
      this.mongoCount = fromMongo.length;
      this.loadedOnce = true;
      if (this.failing) this.options.logger.info({ mongoTokens: fromMongo.length }, 'api_tokens loaded again from MongoDB');
      this.failing = false;
      this.suppressed = 0;
      return true;
    } catch (err) {
      if (!this.stopped) this.warn(err);
      return false;
    }
  }

  /** One warning per `warnEveryMs` while MongoDB stays unreachable, not one per refresh. */
  private warn(err: unknown): void {
    this.failing = true;
    const at = this.now();
    if (at - this.lastWarnAt < (this.options.warnEveryMs ?? 60_000)) {
      this.suppressed += 1;
      return;
    }
    this.options.logger.warn(
      { err, mongoTokens: this.mongoCount, failedRefreshesNotLogged: this.suppressed },
      'cannot load api_tokens from MongoDB: keeping the tokens known so far',
    );
    this.lastWarnAt = at;
    this.suppressed = 0;
  }
}
