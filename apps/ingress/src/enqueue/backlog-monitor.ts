import type { Logger } from '@tally/logger';
import { addToSummaryBacklog, type Queue, readSummaryBacklog, SUMMARY_BACKLOG_SUFFIX, summariesByWorkspace } from '@tally/queue';
import type { Redis } from 'ioredis';
import type { UnavailableReason } from '../unavailable-reasons.js';

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

/**
 * Measures the backlog in the background, so the hot path reads numbers instead of asking
 * Redis on every request: jobs (BullMQ's count), summaries per workspace (the counter in
 * @tally/queue's summary-backlog) and Redis memory (`INFO memory`). A measurement that keeps
 * failing is itself a reason to refuse: a figure that cannot be refreshed proves nothing.
 */
export class BacklogMonitor {
  private jobs = 0;
  private summaries = 0;
  private byWorkspace = new Map<string, number>();
  private memoryRatio = 0;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queue: Queue,
    private readonly redis: Redis,
    private readonly limits: BacklogLimits,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.measure();
    this.timer = setInterval(() => void this.measure(), this.limits.pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One measurement; resolves false when it failed. */
  async measure(): Promise<boolean> {
    try {
      const keys = ['wait', 'active', 'delayed', 'prioritized', 'paused'].map((k) => this.queue.toKey(k));
      const [jobs, byWorkspace, memory] = await Promise.all([
        this.queue.count(),
        readSummaryBacklog(this.redis, this.queue.toKey(SUMMARY_BACKLOG_SUFFIX), keys),
        this.redis.info('memory'),
      ]);
      this.jobs = jobs;
      this.byWorkspace = byWorkspace;
      this.summaries = [...byWorkspace.values()].reduce((a, b) => a + b, 0);
      const used = Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0);
      const max = Number(/maxmemory:(\d+)/.exec(memory)?.[1] ?? 0);
      this.memoryRatio = max > 0 ? used / max : 0;
      this.failures = 0;
      return true;
    } catch (err) {
      this.failures += 1;
      if (this.failures === this.limits.maxFailedPolls)
        this.logger.warn({ err, failures: this.failures }, 'backlog cannot be measured: not ready');
      return false;
    }
  }

  /** Counts a job's summaries into the backlog once its add succeeded. Never throws. */
  added(jobData: unknown): void {
    addToSummaryBacklog(this.redis, this.queue.toKey(SUMMARY_BACKLOG_SUFFIX), summariesByWorkspace(jobData)).catch((err: unknown) =>
      this.logger.debug({ err }, 'summary backlog not incremented'),
    );
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
