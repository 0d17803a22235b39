import type { Logger } from '@tally/logger';
import { type Queue, type RedisClient, readSummaryBacklog, SUMMARY_BACKLOG_SUFFIX, summariesByWorkspace } from '@tally/queue';
import { Cluster } from 'ioredis';
import type { UnavailableReason } from '../unavailable-reasons.js';
import { BacklogIncrements } from './backlog-increments.js';

export interface BacklogLimits {
  /** Jobs waiting or delayed: bounds Redis's per-job overhead. */
  maxJobs: number;
  /** Summaries queued and not yet applied: bounds the work (and Redis memory) behind a 200. */
  maxSummaries: number;
  /** Share of `maxSummaries` one workspace may hold before its own requests are refused. */
  workspaceShare: number;
  /** Refuse once Redis's used_memory reaches this fraction of its maxmemory (when one is set). */
  memoryMaxRatio: number;
  /** Consecutive failed measurements after which the replica is not ready. */
  maxFailedPolls: number;
  pollMs: number;
}

interface ShardFigures {
  jobs: number;
  byWorkspace: Map<string, number>;
}

/**
 * Measures the backlog in the background, so the hot path reads numbers instead of asking
 * Redis on every request: jobs (BullMQ's count), summaries per workspace (the counter in
 * @tally/queue's summary-backlog) and Redis memory (`INFO memory`). A measurement that keeps
 * failing is itself a reason to refuse: a figure that cannot be refreshed proves nothing.
 *
 * With several shards (QUEUE_SHARDS) the caps hold for their sum: jobs and summaries are added
 * up over every shard's queue and counter, and memory is the fullest primary's on a cluster.
 */
export class BacklogMonitor {
  private jobs = 0;
  private summaries = 0;
  private byWorkspace = new Map<string, number>();
  private memoryRatio = 0;
  private failures = 0;
  /** Each shard's last successful measurement. */
  private readonly shards: ShardFigures[];
  private timer: NodeJS.Timeout | undefined;
  /** Per shard queue: its counter's increments, coalesced while one is in flight. */
  private readonly increments = new Map<Queue, BacklogIncrements>();

  constructor(
    private readonly queues: readonly Queue[],
    private readonly redis: RedisClient,
    private readonly limits: BacklogLimits,
    private readonly logger: Logger,
  ) {
    this.shards = queues.map(() => ({ jobs: 0, byWorkspace: new Map() }));
  }

  start(): void {
    void this.measure();
    this.timer = setInterval(() => void this.measure(), this.limits.pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * One measurement; resolves false when it failed. With several shards, a shard that cannot be
   * measured (its primary down until its replica is promoted) keeps its last figures, and only a
   * round in which no shard answered counts as a failure: one shard's outage must not make the
   * whole replica unready while the other shards take the batches.
   */
  async measure(): Promise<boolean> {
    const rounds = await Promise.allSettled(this.queues.map((q) => this.measureShard(q)));
    const memory = await this.memoryRatios().catch(() => undefined);
    let measured = 0;
    rounds.forEach((round, i) => {
      if (round.status === 'fulfilled') {
        this.shards[i] = round.value;
        measured += 1;
      }
    });
    if (measured === 0 || memory === undefined) {
      this.failures += 1;
      if (this.failures === this.limits.maxFailedPolls) {
        const err = rounds.find((r) => r.status === 'rejected')?.reason;
        this.logger.warn({ err, failures: this.failures }, 'backlog cannot be measured: not ready');
      }
      return false;
    }
    const byWorkspace = new Map<string, number>();
    let jobs = 0;
    for (const shard of this.shards) {
      jobs += shard.jobs;
      for (const [workspace, n] of shard.byWorkspace) byWorkspace.set(workspace, (byWorkspace.get(workspace) ?? 0) + n);
    }
    this.jobs = jobs;
    this.byWorkspace = byWorkspace;
    this.summaries = [...byWorkspace.values()].reduce((a, b) => a + b, 0);
    this.memoryRatio = Math.max(0, ...memory);
    this.failures = 0;
    return true;
  }

  private async measureShard(queue: Queue): Promise<ShardFigures> {
    const [jobs, byWorkspace] = await Promise.all([queue.count(), this.shardBacklog(queue)]);
    return { jobs, byWorkspace };
  }

  private shardBacklog(queue: Queue): Promise<Map<string, number>> {
    const keys = ['wait', 'active', 'delayed', 'prioritized', 'paused'].map((k) => queue.toKey(k));
    return readSummaryBacklog(this.redis, queue.toKey(SUMMARY_BACKLOG_SUFFIX), keys);
  }

  /**
   * used_memory / maxmemory of the Redis (0 without maxmemory); on a cluster, of every primary
   * that answers (a dead one holds nothing new, and at least one must answer).
   */
  private async memoryRatios(): Promise<number[]> {
    if (!(this.redis instanceof Cluster)) return ratios([await this.redis.info('memory')]);
    const infos = await Promise.allSettled(this.redis.nodes('master').map((node) => node.info('memory')));
    const answered = infos.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (answered.length === 0) throw new Error('no Redis Cluster primary answered INFO memory');
    return ratios(answered);
  }

  /** Counts a job's summaries into its shard's backlog once its add succeeded. Never throws. */
  added(queue: Queue, jobData: unknown): void {
    let increments = this.increments.get(queue);
    if (increments === undefined) {
      increments = new BacklogIncrements(this.redis, queue.toKey(SUMMARY_BACKLOG_SUFFIX), this.logger);
      this.increments.set(queue, increments);
    }
    increments.add(summariesByWorkspace(jobData));
  }

  /**
   * Sends every shard's summed increments now (at shutdown, after the last add), so the jobs
   * this ingress added last are counted in the backlog the other replicas refuse on.
   */
  async flushIncrements(): Promise<void> {
    await Promise.all([...this.increments.values()].map((increments) => increments.flush()));
  }

  /** Why every request is refused now, or null. */
  refusal(): UnavailableReason | null {
    if (this.failures >= this.limits.maxFailedPolls) return 'backlogUnmeasured';
    if (this.jobs >= this.limits.maxJobs || this.summaries >= this.limits.maxSummaries) return 'backlogFull';
    if (this.memoryRatio >= this.limits.memoryMaxRatio) return 'storageFull';
    return null;
  }

  /** True when this workspace holds more than its share of the summary backlog. */
  overShare(workspace: string): boolean {
    return (this.byWorkspace.get(workspace) ?? 0) >= this.limits.workspaceShare * this.limits.maxSummaries;
  }

  /** The last measurement, for /readyz. */
  figures(): { jobs: number; summaries: number; redisMemoryRatio: number } {
    return { jobs: this.jobs, summaries: this.summaries, redisMemoryRatio: Math.round(this.memoryRatio * 1000) / 1000 };
  }
}

function ratios(infos: readonly string[]): number[] {
  return infos.map((memory) => {
    const used = Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0);
    const max = Number(/maxmemory:(\d+)/.exec(memory)?.[1] ?? 0);
    return max > 0 ? used / max : 0;
  });
}
