import type { TokenEntry } from '@tally/config';
import type { Logger } from '@tally/logger';

/** Options for {@link TokenCache}. */
export interface TokenCacheOptions {
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

/**
 * The tokens the ingress accepts: `TALLY_TOKENS` plus MongoDB's active `api_tokens`, held in
 * memory and reloaded in the background. Authentication reads only this memory, so MongoDB is
 * never on the request path: while it is down, the last tokens it gave keep working, and a token
 * created or revoked there takes effect within one refresh interval.
 */
export class TokenCache {
  private readonly envTokens: readonly TokenEntry[];
  private all: readonly TokenEntry[];
  private mongoCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<boolean> | undefined;
  private stopped = false;
  private attempted = false;
  private failing = false;
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;
  private readonly now: () => number;

  constructor(private readonly options: TokenCacheOptions) {
    this.envTokens = [...options.envTokens];
    this.all = this.envTokens;
    this.now = options.now ?? Date.now;
  }

  /** Every accepted token, for a constant-time comparison over all of them. */
  entries(): readonly TokenEntry[] {
    return this.all;
  }

  /** True once the first load from MongoDB has been tried, whatever its outcome. */
  settled(): boolean {
    return this.attempted;
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
    if (this.envTokens.length === 0) {
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
      this.attempted = true;
    });
    return this.inFlight;
  }

  private async load(): Promise<boolean> {
    try {
      const fromMongo = await this.options.load();
      if (this.stopped) return false;
      this.all = [...this.envTokens, ...fromMongo];
      this.mongoCount = fromMongo.length;
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
