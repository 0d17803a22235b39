/**
 * Which shard queue the next micro-batch goes to. Flushes take the shards in turn, so N shards
 * share the load evenly whatever the request mix; a shard whose add just failed is benched for
 * `benchMs` and passed over while others are healthy (its Redis primary may be down or failing
 * over), and tried again once the bench expires. With every shard benched, all are candidates
 * again: a 503 is the answer only when none of them takes the batch.
 */
export class ShardRotation<T> {
  private next = 0;
  private readonly benchedUntil: number[];

  constructor(
    private readonly shards: readonly T[],
    private readonly benchMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (shards.length === 0) throw new Error('at least one shard');
    this.benchedUntil = shards.map(() => 0);
  }

  /** Every shard once, healthy ones first, starting at the next in turn. */
  order(): T[] {
    const start = this.next;
    this.next = (this.next + 1) % this.shards.length;
    const turn = this.shards.map((_, i) => (start + i) % this.shards.length);
    const now = this.now();
    const healthy = turn.filter((i) => this.benchedUntil[i]! <= now);
    const benched = turn.filter((i) => this.benchedUntil[i]! > now);
    return [...healthy, ...benched].map((i) => this.shards[i]!);
  }

  /** The add on `shard` failed: pass it over for a while. */
  failed(shard: T): void {
    const i = this.shards.indexOf(shard);
    if (i >= 0) this.benchedUntil[i] = this.now() + this.benchMs;
  }

  /** The add on `shard` succeeded: it is healthy again. */
  succeeded(shard: T): void {
    const i = this.shards.indexOf(shard);
    if (i >= 0) this.benchedUntil[i] = 0;
  }
}
