import type { Queue } from '@tally/queue';

/** Job states counted in the overview, in the order a job moves through them. */
export const OVERVIEW_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'waiting-children', 'completed', 'failed'] as const;

export type OverviewState = (typeof OVERVIEW_STATES)[number];

/** The queue at a glance: what an operator checks first when summaries stop arriving. */
export interface QueueOverview {
  queue: string;
  prefix: string;
  paused: boolean;
  counts: Record<OverviewState, number>;
  /** The dead-letter set's size (also in `counts`, named for alerting). */
  failed: number;
  /**
   * Age of the oldest job waiting for a worker, in milliseconds since it was first added;
   * null when nothing waits. A growing value with idle workers means no worker is connected.
   */
  oldestWaitingAgeMs: number | null;
  oldestWaitingJobId: string | null;
  /** When this was measured (ISO 8601). */
  at: string;
}

/** Measures the queue. `now` is injectable so tests can pin ages. */
export async function readOverview(queue: Queue, now: () => number = Date.now): Promise<QueueOverview> {
  const [raw, paused, oldest] = await Promise.all([
    queue.getJobCounts(...OVERVIEW_STATES),
    queue.isPaused(),
    // The wait list is pushed on the left and popped on the right: ascending order puts the next
    // job a worker will take, which is the one that has waited longest, first.
    queue.getJobs(['wait'], 0, 0, true),
  ]);
  const counts = Object.fromEntries(OVERVIEW_STATES.map((state) => [state, raw[state] ?? 0])) as Record<OverviewState, number>;
  const head = oldest[0];
  const measuredAt = now();
  return {
    queue: queue.name,
    prefix: queue.opts.prefix ?? 'bull',
    paused,
    counts,
    failed: counts.failed,
    oldestWaitingAgeMs: head ? Math.max(0, measuredAt - head.timestamp) : null,
    oldestWaitingJobId: head?.id !== undefined ? String(head.id) : null,
    at: new Date(measuredAt).toISOString(),
  };
}

/** Every shard of a queue at a glance: the totals an alert reads, and each shard's own view. */
export interface ShardedOverview extends QueueOverview {
  /** One overview per shard (one entry when the queue is not sharded). */
  shards: QueueOverview[];
}

/**
 * Measures every shard and sums them under the queue's own `name`: counts add up, the queue
 * counts as paused when any shard is (that shard's jobs are not being taken), and the oldest
 * waiting job is the oldest of all, since a shard nobody consumes shows there first.
 */
export async function readShardedOverview(name: string, shards: readonly Queue[], now: () => number = Date.now): Promise<ShardedOverview> {
  const views = await Promise.all(shards.map((shard) => readOverview(shard, now)));
  const counts = Object.fromEntries(
    OVERVIEW_STATES.map((state) => [state, views.reduce((sum, view) => sum + view.counts[state], 0)]),
  ) as Record<OverviewState, number>;
  const oldest = views
    .filter((view) => view.oldestWaitingAgeMs !== null)
    .reduce<QueueOverview | undefined>((a, b) => (a === undefined || b.oldestWaitingAgeMs! > a.oldestWaitingAgeMs! ? b : a), undefined);
  return {
    queue: name,
    prefix: views[0]?.prefix ?? 'bull',
    paused: views.some((view) => view.paused),
    counts,
    failed: counts.failed,
    oldestWaitingAgeMs: oldest?.oldestWaitingAgeMs ?? null,
    oldestWaitingJobId: oldest?.oldestWaitingJobId ?? null,
    at: new Date(now()).toISOString(),
    shards: views,
  };
}
