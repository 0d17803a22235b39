import type { Logger } from '@tally/logger';
import { isPermanentMongoError } from '@tally/store';
import type { ApplySummariesDeps } from './apply-summaries.deps.js';
import { applyJobsTogether, type JobToApply } from './apply-together.js';
import { applyBisecting, type BisectResult, emptyBisectResult } from './bisect-batch.js';

/** What became of one job, and how many jobs its transaction held (1 when applied alone). */
export type GroupedResult = BisectResult & { transactionJobs: number };

interface Waiting {
  job: JobToApply;
  log: Logger;
  summaries: number;
  resolve: (result: GroupedResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit in the worker: the jobs BullMQ hands to the processor (up to its concurrency)
 * share MongoDB transactions. When no transaction is under way, what has gathered is applied at
 * the end of the current event-loop turn; while one is, jobs gather and go together as soon as
 * it ends, at most `maxSummaries` per transaction (a heavier job goes alone). Each job's promise
 * settles only once the transaction holding it committed, so BullMQ completes no job early.
 *
 * Light traffic makes small jobs (the ingress's own group commit sends what arrived during one
 * Redis round trip); sharing a transaction turns their ledger entries into one and their hot
 * keys into one upsert each. A lone job takes today's path unchanged. When a shared transaction
 * fails for good, its jobs are applied one by one on that path, so a poisoned request still
 * fails alone (blast radius of one); a transient failure fails them all, and BullMQ retries each.
 */
export class GroupCommit {
  private gathered: Waiting[] = [];
  private busy = false;
  private scheduled = false;

  constructor(
    private readonly deps: ApplySummariesDeps,
    private readonly maxSummaries: number,
  ) {}

  apply(job: JobToApply, log: Logger): Promise<GroupedResult> {
    return new Promise((resolve, reject) => {
      const summaries = job.requests.reduce((n, r) => n + r.summaries.length, 0);
      this.gathered.push({ job, log, summaries, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.busy || this.scheduled || this.gathered.length === 0) return;
    // The end of this turn: jobs BullMQ hands over together go together.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.busy || this.gathered.length === 0) return;
      this.busy = true;
      void this.commit(this.take()).finally(() => {
        this.busy = false;
        this.pump();
      });
    });
  }

  /** The next transaction's jobs: in arrival order, up to maxSummaries, at least one. */
  private take(): Waiting[] {
    let weight = 0;
    let n = 0;
    while (n < this.gathered.length && (n === 0 || weight + this.gathered[n]!.summaries <= this.maxSummaries)) {
      weight += this.gathered[n]!.summaries;
      n += 1;
    }
    return this.gathered.splice(0, n);
  }

  private async commit(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.alone(batch[0]!);
    let together: Awaited<ReturnType<typeof applyJobsTogether>>;
    try {
      together = await applyJobsTogether(
        this.deps,
        batch.map((w) => w.job),
      );
    } catch (error) {
      if (!isPermanentMongoError(error)) {
        for (const w of batch) w.reject(error);
        return;
      }
      batch[0]!.log.warn(
        { jobs: batch.length, reason: (error as Error).message },
        'jobs refused together by MongoDB: applying each on its own',
      );
      for (const w of batch) await this.alone(w);
      return;
    }
    // The transaction's writes are reported once, on its first applied job, so sums over jobs
    // (metrics, the bench) count each write once.
    let report = true;
    const split: Waiting[] = [];
    together.outcomes.forEach((outcome, i) => {
      const w = batch[i]!;
      if (outcome.status === 'split') split.push(w);
      else if (outcome.status === 'already-applied') w.resolve({ ...emptyBisectResult(true), transactionJobs: batch.length });
      else {
        const writes = report ? { upserts: together.upserts, ledgerEntries: together.ledgerEntries } : { upserts: 0, ledgerEntries: 0 };
        report = false;
        const { status: _, ...applied } = outcome;
        w.resolve({ ...emptyBisectResult(false), ...applied, ...writes, transactionJobs: batch.length });
      }
    });
    for (const w of split) await this.alone(w);
  }

  /** Today's path: the job in its own transaction, split down to the request MongoDB refuses. */
  private async alone(w: Waiting): Promise<void> {
    try {
      w.resolve({ ...(await applyBisecting(this.deps, w.job.jobId, w.job.requests, w.log)), transactionJobs: 1 });
    } catch (error) {
      w.reject(error);
    }
  }
}
