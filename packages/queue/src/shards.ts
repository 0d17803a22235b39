import { keySlot } from './key-slot.js';
import { QUEUES } from './names.js';

/** Redis Cluster's hash slot count. */
const SLOTS = 16_384;

/** How the queue of one kind is spread over Redis. */
export interface ShardLayout {
  /** How many queues carry this kind of job (`QUEUE_SHARDS`, default 1). */
  shards: number;
  /** True on Redis Cluster: every queue name then carries a hash tag, so all its keys share a slot. */
  cluster: boolean;
}

/**
 * The names of a queue's shards, the same in every process for the same layout.
 *
 * One shard on a single Redis keeps today's plain name (`summaries`), so existing deployments
 * keep their queue. Otherwise each name is a hash tag (`{summaries-0-17}`): BullMQ's keys are
 * `prefix:name:suffix`, and Redis Cluster hashes only the text inside the first `{…}`, so each
 * queue's keys (and its Lua scripts) stay on one slot. Shard i's tag is the first candidate
 * whose slot falls in the i-th equal part of the slot space; a cluster created with
 * `redis-cli --cluster create` gives each primary one equal part, so N shards land on N
 * different primaries when N equals the primaries (and spread evenly when it is a multiple).
 *
 * QUEUE_PREFIX must then hold no `{`: its tag would pin every shard to one slot.
 */
export function shardQueueNames(queue: keyof typeof QUEUES, layout: ShardLayout): string[] {
  const base = QUEUES[queue];
  if (layout.shards === 1 && !layout.cluster) return [base];
  return Array.from({ length: layout.shards }, (_, shard) => `{${shardTag(base, shard, layout.shards)}}`);
}

/** The hash slot of a shard's queue name (what `CLUSTER KEYSLOT` answers for its keys). */
export function shardSlot(name: string): number {
  return keySlot(name);
}

function shardTag(base: string, shard: number, shards: number): string {
  const low = Math.floor((shard * SLOTS) / shards);
  const high = Math.floor(((shard + 1) * SLOTS) / shards);
  for (let candidate = 0; ; candidate++) {
    const tag = `${base}-${shard}-${candidate}`;
    const slot = keySlot(tag);
    if (slot >= low && slot < high) return tag;
  }
}
