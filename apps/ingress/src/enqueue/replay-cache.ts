import type { Redis } from 'ioredis';

/**
 * Redis memo of Idempotency-Keys already queued: a repeat is answered without a second job.
 * Only a shortcut: the guarantee is the worker's ledger in MongoDB, which also catches repeats
 * that raced past this check. A key is remembered only after its batch is durable, so a
 * request that got a 503 can always be retried.
 */
export class ReplayCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private key(workspace: string, idempotencyKey: string): string {
    return `${this.prefix}:idem:${workspace}:${idempotencyKey}`;
  }

  /** The fingerprint of the body first sent with this key, or null. */
  lookup(workspace: string, idempotencyKey: string): Promise<string | null> {
    return this.redis.get(this.key(workspace, idempotencyKey));
  }

  async remember(workspace: string, idempotencyKey: string, fingerprint: string): Promise<void> {
    await this.redis.set(this.key(workspace, idempotencyKey), fingerprint, 'EX', this.ttlSeconds, 'NX');
  }
}
