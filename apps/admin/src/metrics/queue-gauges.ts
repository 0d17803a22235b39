import type { Logger } from '@tally/logger';
import { Gauge, type Registry } from '@tally/metrics';
import type { Queue } from '@tally/queue';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The summaries queue's depth, sampled on an interval by the admin (one process, so the gauges
 * are not repeated per ingress replica) and never per request or per scrape: a scrape reads the
 * last sample, so a slow Redis never slows Prometheus down. A failed sample keeps the last one
 * and counts the failure.
 */
export class QueueGauges {
  private readonly jobs: Gauge<'queue' | 'state'>;
  private readonly oldest: Gauge<'queue'>;
  private readonly sampleErrors: Gauge<'queue'>;
  private timer: NodeJS.Timeout | undefined;
  private errors = 0;

  constructor(
    private readonly queue: Queue,
    registry: Registry,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    const registers = [registry];
    this.jobs = new Gauge({
      name: 'tally_queue_jobs',
      help: 'Jobs in the queue by state (sampled).',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.oldest = new Gauge({
      name: 'tally_queue_oldest_waiting_age_seconds',
      help: 'Age of the oldest waiting job (sampled); 0 when none waits. Grows when workers fall behind.',
      labelNames: ['queue'],
      registers,
    });
    this.sampleErrors = new Gauge({
      name: 'tally_queue_sample_errors',
      help: 'Samples of the queue that failed since start (Redis unreachable).',
      labelNames: ['queue'],
      registers,
    });
  }

  /** Takes one sample now; resolves when it is recorded. */
  async sample(): Promise<void> {
    try {
      const [counts, [oldest]] = await Promise.all([this.queue.getJobCounts(...STATES), this.queue.getJobs(['wait'], 0, 0, true)]);
      for (const state of STATES) this.jobs.labels(this.queue.name, state).set(counts[state] ?? 0);
      this.oldest.labels(this.queue.name).set(oldest ? Math.max(0, this.now() - oldest.timestamp) / 1000 : 0);
    } catch (err) {
      this.errors += 1;
      this.sampleErrors.labels(this.queue.name).set(this.errors);
      this.logger.debug({ err }, 'queue sample failed');
    }
  }

  start(intervalMs: number): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
