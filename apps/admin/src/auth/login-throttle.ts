/** How hard failed logins are slowed down, per client IP. */
export interface LoginThrottleOptions {
  /** Failed attempts allowed before any delay (typos happen). */
  freeFailures: number;
  /** The first delay; each further failure doubles it… */
  baseDelayMs: number;
  /** …up to this. A client with no failure for twice this long starts afresh. */
  maxDelayMs: number;
  /** Clients remembered at once; the least recently seen is forgotten first. */
  maxClients: number;
  now?: () => number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  maxClients: 10_000,
};

interface ClientState {
  failures: number;
  blockedUntil: number;
  lastFailureAt: number;
}

/**
 * Exponential backoff on failed HTTP Basic logins, per client IP: past a few free failures,
 * each one doubles the time during which that client's attempts are refused without being
 * checked (the right password too, or guessing would simply go on). Unthrottled, a password
 * could be guessed at thousands per second; with it, a million guesses take centuries. A
 * success clears the client's record.
 */
export class LoginThrottle {
  private readonly clients = new Map<string, ClientState>();
  private readonly now: () => number;

  constructor(private readonly options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds this client must wait before its next attempt is checked; 0 when it may try now. */
  retryAfterMs(client: string): number {
    const state = this.current(client);
    return state === undefined ? 0 : Math.max(0, state.blockedUntil - this.now());
  }

  failed(client: string): void {
    const now = this.now();
    const state = this.current(client) ?? { failures: 0, blockedUntil: 0, lastFailureAt: now };
    state.failures++;
    state.lastFailureAt = now;
    const over = state.failures - this.options.freeFailures;
    if (over > 0) state.blockedUntil = now + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(over - 1, 30));
    // Re-inserted so the map's order is least recently seen first.
    this.clients.delete(client);
    this.clients.set(client, state);
    if (this.clients.size > this.options.maxClients) this.clients.delete(this.clients.keys().next().value as string);
  }

  succeeded(client: string): void {
    this.clients.delete(client);
  }

  private current(client: string): ClientState | undefined {
    const state = this.clients.get(client);
    if (state !== undefined && this.now() - state.lastFailureAt > 2 * this.options.maxDelayMs) {
      this.clients.delete(client);
      return undefined;
    }
    return state;
  }
}
