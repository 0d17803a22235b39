import { type DedupKind, decodeReservation, encodeReservation, type Reservation, reservationRedisKey } from '@tally/contracts';
import type { RedisClient } from '@tally/queue';

/**
 * How long a `pending` reservation lives if its ingress dies before completing or releasing it.
 * It must outlast the slowest add (a batch wait plus an in-flight add plus ENQUEUE_TIMEOUT_MS,
 * at most about 21 s); past it, a client's retry may reserve the key again.
 */
export const PENDING_TTL_MS = 30_000;

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
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly windowSeconds: number,
  ) {}

  /**
   * Reserves the key as pending for `owner` (a request id); resolves null when this call
   * reserved it, else the reservation that exists.
   */
  async reserve(workspace: string, kind: DedupKind, key: string, fingerprint: string, owner: string): Promise<Reservation | null> {
    const pending = encodeReservation({ state: 'pending', fingerprint, owner });
    const previous = (await this.redis.call('SET', this.key(workspace, kind, key), pending, 'NX', 'PX', String(PENDING_TTL_MS), 'GET')) as
      | string
      | null;
    return previous === null ? null : decodeReservation(previous);
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
