import type { Logger } from '@tally/logger';
import { backoffStrategy, JOBS, type Job, queueName, type RedisConnectionOptions, Worker } from '@tally/queue';
import { type ApplySummariesDeps, applySummariesProcessor } from './processors/apply-summaries.processor.js';

export interface SummariesWorkerOptions {
  connection: RedisConnectionOptions;
  prefix: string;
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
  logger: Logger;
  deps: ApplySummariesDeps;
}

/**
 * The BullMQ worker of the summaries queue. Lock and stall settings come from configuration and
 * must be the same on every replica: a shorter lock on one replica would let another steal its
 * running jobs.
 */
export function createSummariesWorker(options: SummariesWorkerOptions): Worker {
  const applySummaries = applySummariesProcessor(options.deps);
  const worker = new Worker(
    queueName('summaries'),
    async (job: Job) => {
      const log = options.logger.child({ queue: job.queueName, jobId: job.id, attempt: job.attemptsMade + 1 });
      if (job.name !== JOBS.applySummaries) throw new Error(`unknown job name ${job.name}`);
      const started = performance.now();
      const outcome = await applySummaries(job, log);
      log.debug({ outcome, ms: Math.round(performance.now() - started) }, 'job done');
      return outcome;
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
  worker.on('failed', (job, err) => {
    const final = job ? job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError' : true;
    options.logger[final ? 'error' : 'warn'](
      { err, jobId: job?.id, attempt: job?.attemptsMade, final },
      final ? 'job failed for good: in the failed set (tally dlq list)' : 'job failed, will retry',
    );
  });
  worker.on('error', (err) => options.logger.error({ err }, 'worker error'));
  return worker;
}
