import { type DedupKind, decodeReservation, encodeReservation, type Reservation, reservationRedisKey } from '@tally/contracts';
import type { RedisClient } from '@tally/queue';

/** What the request holding a reservation may still do: the ingress's enqueue timings. */
export interface PendingTimings {
  /** ENQUEUE_TIMEOUT_MS: the deadline of one add, and the command timeout of every Redis call. */
  enqueueTimeoutMs: number;
  /** BATCH_MAX_WAIT_MS: the linger before a flush. */
  lingerMs: number;
}

/** Scheduling and the round trip of the reserve itself, on top of the deadlines. */
const PENDING_MARGIN_MS = 1000;

/**
 * How long a `pending` reservation lives if its request never completes or releases it (its
 * ingress died, or the release went to a primary that was lost in a failover while the pending
 * mark had reached the replica). Until it expires, a retry with the key gets 409, so it is held
 * to what the request can really still take once reserved: the event key's reserve (one
 * command timeout), the linger and one add under way before its batch can start, its own add
 * (each within ENQUEUE_TIMEOUT_MS), and the margin: 3.4 s with the defaults, where a fixed 30 s
 * kept clients out for half a minute after a failover. A request queued behind more than one
 * add (the batcher backed up past BATCH_MAX_IN_FLIGHT) may outlive its mark: a retry can then
 * queue the key twice, and the worker's ledger, which keeps the fingerprint, applies it once.
 */
export function pendingTtlMs({ enqueueTimeoutMs, lingerMs }: PendingTimings): number {
  return lingerMs + 3 * enqueueTimeoutMs + PENDING_MARGIN_MS;
}

/** Sets a key only if it still holds ARGV[1] (or nothing); else answers what it holds. */
const TAKE_OVER_SCRIPT = `local v = redis.call('GET', KEYS[1])
if v == ARGV[1] or not v then redis.call('SET', KEYS[1], ARGV[2], ARGV[3], ARGV[4]) return false end
return v`;

/** Deletes a reservation only if it is still the pending one this request made. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Idempotency-Key reservations in Redis. A request reserves its key atomically, with its
 * fingerprint, before it reaches a job (`SET NX`): of two requests racing with one key, on one
 * replica or two, exactly one wins. The winner marks the key done once its job is durable, or
 * releases it when the add failed, so the client's retry is not locked out. Redis is a fast
 * path: the worker's ledger, which keeps the same fingerprint, is what holds across Redis losses.
 */
export class IdempotencyReservations {
  private readonly pendingTtlMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly windowSeconds: number,
    timings: PendingTimings,
  ) {
    this.pendingTtlMs = pendingTtlMs(timings);
  }

  /**
   * Reserves the key as pending for `owner` (a request id); resolves null when this call
   * reserved it, else the reservation that exists.
   */
  async reserve(workspace: string, kind: DedupKind, key: string, fingerprint: string, owner: string): Promise<Reservation | null> {
    const pending = encodeReservation({ state: 'pending', fingerprint, owner });
    return this.claim(this.key(workspace, kind, key), pending, 'PX', this.pendingTtlMs, fingerprint);
  }

  /**
   * Remembers, for the dedup window, that the key's request was refused by a rule of the clock
   * judged at `at` (Unix seconds), unless the key is already held; resolves null when this call
   * remembered it, else the reservation that exists.
   */
  async refuse(workspace: string, key: string, fingerprint: string, at: number): Promise<Reservation | null> {
    const refused = encodeReservation({ state: 'refused', fingerprint, at });
    return this.claim(this.key(workspace, 'key', key), refused, 'EX', this.windowSeconds, fingerprint);
  }

  /**
   * Sets `value` unless the key is held (`SET NX GET`, one command in the common case). A
   * refusal remembered for another body does not hold it: the client corrected its request
   * (a timestamp in milliseconds, the usual mistake, is refused this way), and the corrected one
   * takes the key, as after any other refusal. Taken over only if still that refusal, atomically.
   */
  private async claim(redisKey: string, value: string, unit: 'PX' | 'EX', ttl: number, fingerprint: string): Promise<Reservation | null> {
    const previous = (await this.redis.call('SET', redisKey, value, 'NX', unit, String(ttl), 'GET')) as string | null;
    if (previous === null) return null;
    const prior = decodeReservation(previous);
    if (prior.state !== 'refused' || prior.fingerprint === fingerprint) return prior;
    const current = (await this.redis.eval(TAKE_OVER_SCRIPT, 1, redisKey, previous, value, unit, String(ttl))) as string | null;
    return current === null ? null : decodeReservation(current);
  }

  /** The key's reservation, if it has one. */
  async peek(workspace: string, key: string): Promise<Reservation | null> {
    const value = await this.redis.get(this.key(workspace, 'key', key));
    return value === null ? null : decodeReservation(value);
  }

  /** The key's job is durable: remember it for the dedup window. */
  async complete(workspace: string, kind: DedupKind, key: string, fingerprint: string): Promise<void> {
    await this.redis.set(this.key(workspace, kind, key), encodeReservation({ state: 'done', fingerprint }), 'EX', this.windowSeconds);
  }

  /**
   * The key's add failed: forget `owner`'s pending reservation, so a retry can reserve it again.
   * Also called when the reserve itself timed out, since Redis may still carry it out later; a
   * reservation of another owner, or one already done, is left alone.
   */
  async release(workspace: string, kind: DedupKind, key: string, fingerprint: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.key(workspace, kind, key), encodeReservation({ state: 'pending', fingerprint, owner }));
  }

  private key(workspace: string, kind: DedupKind, key: string): string {
    return reservationRedisKey(this.prefix, workspace, kind, key);
  }
}
