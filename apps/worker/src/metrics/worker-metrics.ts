import { Counter, Histogram, LAG_BUCKETS, LATENCY_BUCKETS, type Registry } from '@tally/metrics';

/** What became of one attempt at a job. */
export type JobOutcome = 'applied' | 'already_applied' | 'retried' | 'failed';

/** The worker's `tally_worker_*` metrics; every label value comes from a short fixed list. */
export class WorkerMetrics {
  private readonly jobs: Counter<'outcome'>;
  private readonly summaries: Counter;
  private readonly writes: Counter<'collection'>;
  private readonly applyDuration: Histogram;
  private readonly retries: Counter;
  private readonly lag: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.jobs = new Counter({
      name: 'tally_worker_jobs_total',
      help: 'Job attempts by outcome: applied, already_applied (found in the ledger), retried (will run again), failed (in the failed set).',
      labelNames: ['outcome'],
      registers,
    });
    // Zero series exist from the start, so rate() and alerts see every outcome before it happens.
    for (const outcome of ['applied', 'already_applied', 'retried', 'failed']) this.jobs.labels(outcome);
    this.summaries = new Counter({
      name: 'tally_worker_summaries_applied_total',
      help: 'Summaries applied to MongoDB (before combining hot keys; repeats found in the ledger not included).',
      registers,
    });
    this.writes = new Counter({
      name: 'tally_worker_mongo_write_ops_total',
      help: 'MongoDB write operations committed, by collection (one per upserted summary document, one per ledger entry).',
      labelNames: ['collection'],
      registers,
    });
    this.applyDuration = new Histogram({
      name: 'tally_worker_apply_duration_seconds',
      help: 'Time to apply one job: payload check, ledger lookup, transaction and commit.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.retries = new Counter({
      name: 'tally_worker_transaction_retries_total',
      help: 'Transactions run again by the driver after a transient error or an unknown commit result.',
      registers,
    });
    this.lag = new Histogram({
      name: 'tally_worker_end_to_end_lag_seconds',
      help: 'From the job being queued (the moment its requests are acknowledged) to its commit in MongoDB.',
      buckets: LAG_BUCKETS,
      registers,
    });
  }

  jobDone(outcome: JobOutcome): void {
    this.jobs.labels(outcome).inc();
  }

  applied(applied: { summaries: number; upserts: number; ledgerEntries: number; queuedAt: number; committedAt: number }): void {
    this.summaries.inc(applied.summaries);
    this.writes.labels('event_summaries').inc(applied.upserts);
    if (applied.ledgerEntries > 0) this.writes.labels('ingest_ledger').inc(applied.ledgerEntries);
    this.lag.observe(Math.max(0, applied.committedAt - applied.queuedAt) / 1000);
  }

  applyTook(seconds: number): void {
    this.applyDuration.observe(seconds);
  }

  transactionRetried(): void {
    this.retries.inc();
  }
}
