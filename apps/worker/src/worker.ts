import type { Logger } from '@tally/logger';
import {
  backoffStrategy,
  JOBS,
  type Job,
  queueName,
  type RedisClient,
  type RedisConnectionOptions,
  SUMMARY_BACKLOG_SUFFIX,
  subtractFromSummaryBacklog,
  summariesByWorkspace,
  UnrecoverableError,
  Worker,
} from '@tally/queue';
import type { Redis } from 'ioredis';
import type { WorkerMetrics } from './metrics/worker-metrics.js';
import { type ApplySummariesDeps, applySummariesProcessor } from './processors/apply-summaries.processor.js';
import { WarningThrottle } from './warning-throttle.js';

export interface SummariesWorkerOptions {
  /** Options (the worker opens its own connections) or a client shared by the shards' workers. */
  connection: RedisConnectionOptions | RedisClient;
  /** The shard queue to consume (default: the one unsharded summaries queue). */
  queue?: string;
  prefix: string;
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
  logger: Logger;
  deps: ApplySummariesDeps;
  /** At most one "will retry" warning per kind of error per this many milliseconds (default 10 s). */
  retryWarningWindowMs?: number;
  /** Absent in tests that do not look at metrics. */
  metrics?: WorkerMetrics;
}

/**
 * The BullMQ worker of the summaries queue. Lock and stall settings come from configuration and
 * must be the same on every replica: a shorter lock on one replica would let another steal its
 * running jobs.
 */
export function createSummariesWorker(options: SummariesWorkerOptions): Worker {
  const { metrics } = options;
  const applySummaries = applySummariesProcessor(
    metrics ? { ...options.deps, onTransactionRetry: () => metrics.transactionRetried() } : options.deps,
  );
  // The ingress's backpressure counts summaries queued and not yet applied (see
  // @tally/queue summary-backlog): a job's summaries leave it when the job leaves the queue.
  const leaveBacklog = async (counts: Map<string, number>) => {
    // BullMQ's Redis backend hands out its ioredis instance; its interface type omits eval.
    const client = (await worker.getBackend().client) as unknown as Pick<Redis, 'eval'>;
    await subtractFromSummaryBacklog(client, worker.toKey(SUMMARY_BACKLOG_SUFFIX), counts).catch((err: unknown) =>
      options.logger.debug({ err }, 'summary backlog not decremented'),
    );
  };
  const worker = new Worker(
    options.queue ?? queueName('summaries'),
    async (job: Job) => {
      const log = options.logger.child({ queue: job.queueName, jobId: job.id, attempt: job.attemptsMade + 1 });
      // Read before processing: a job with poisoned requests leaves with only those in its data.
      const queued = summariesByWorkspace(job.data);
      try {
        // No retry can teach this worker a job it does not know: straight to the failed set.
        if (job.name !== JOBS.applySummaries) throw new UnrecoverableError(`unknown job name ${job.name}`);
        const started = performance.now();
        const outcome = await applySummaries(job, log);
        const seconds = (performance.now() - started) / 1000;
        log.debug({ outcome, ms: Math.round(seconds * 1000) }, 'job done');
        if (metrics) {
          metrics.applyTook(seconds);
          if (outcome.status === 'applied') {
            metrics.jobDone('applied');
            // job.timestamp is set by the ingress when it queues the job, which is when its requests
            // are acknowledged (within one Redis round trip): lag is commit time minus that.
            metrics.applied({ ...outcome, queuedAt: job.timestamp, committedAt: Date.now() });
          } else metrics.jobDone('already_applied');
        }
        await leaveBacklog(queued);
        return outcome;
      } catch (err) {
        const final = (err as Error).name === 'UnrecoverableError' || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (final) await leaveBacklog(queued);
        throw err;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDuration,
      stalledInterval: options.stalledInterval,
      maxStalledCount: options.maxStalledCount,
      settings: { backoffStrategy },
      autorun: false,
    },
  );
  // Retries of one outage all fail alike: one warning per kind per window (a final failure,
  // which an operator must act on, is always logged).
  const retries = new WarningThrottle(options.retryWarningWindowMs ?? 10_000);
  worker.on('failed', (job, err) => {
    const final = job ? job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError' : true;
    if (final) {
      options.logger.error(
        { err, jobId: job?.id, attempt: job?.attemptsMade, final },
        'job failed for good: in the failed set (tally dlq list)',
      );
      options.metrics?.jobDone('failed');
      return;
    }
    options.metrics?.jobDone('retried');
    const suppressed = retries.admit(`${err.name}: ${err.message}`.slice(0, 200));
    if (suppressed === null) return;
    options.logger.warn({ err, jobId: job?.id, attempt: job?.attemptsMade, final, similarNotLogged: suppressed }, 'job failed, will retry');
  });
  worker.on('error', (err) => options.logger.error({ err }, 'worker error'));
  return worker;
}
