import { queueName } from '@tally/queue';
import { Redis } from 'ioredis';

/** What the workers did with the jobs that completed in a time window. */
export interface CompletedJobStats {
  jobs: number;
  /** Requests applied (one summary each in the bench). */
  requests: number;
  /**
   * MongoDB write operations: one upsert per combined (user, event) plus one ledger entry per
   * transaction (jobs sharing one report its writes on one of them, 0 on the others).
   */
  mongoWrites: number;
  /** From the job's add (just before the 200) to its commit, per request: p50 and p99 in ms. */
  lagP50Ms: number;
  lagP99Ms: number;
  /** MongoDB transactions that applied these jobs (several jobs may share one). */
  transactions: number;
}

interface Outcome {
  status: string;
  requests?: number;
  upserts?: number;
  ledgerEntries?: number;
  transactionJobs?: number;
}

/**
 * Reads BullMQ's completed set (scored by finish time) between `fromMs` and `toMs`, and each
 * job's timestamps and result. Completed jobs are kept for an hour (job catalog), long enough.
 */
export async function completedJobStats(url: string, prefix: string, fromMs: number, toMs: number): Promise<CompletedJobStats> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const base = `${prefix}:${queueName('summaries')}`;
  try {
    await redis.connect();
    const ids = await redis.zrangebyscore(`${base}:completed`, fromMs, toMs);
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hmget(`${base}:${id}`, 'timestamp', 'finishedOn', 'returnvalue');
    const rows = (await pipeline.exec()) ?? [];
    const lags: { lag: number; weight: number }[] = [];
    let requests = 0;
    let mongoWrites = 0;
    let transactions = 0;
    for (const [, fields] of rows) {
      const [timestamp, finishedOn, returnvalue] = fields as (string | null)[];
      const outcome = JSON.parse(returnvalue ?? '{}') as Outcome;
      if (outcome.status !== 'applied') continue;
      const n = outcome.requests ?? 0;
      requests += n;
      mongoWrites += (outcome.upserts ?? 0) + (outcome.ledgerEntries ?? 1);
      transactions += 1 / (outcome.transactionJobs ?? 1);
      lags.push({ lag: Number(finishedOn) - Number(timestamp), weight: n });
    }
    return {
      jobs: lags.length,
      requests,
      mongoWrites,
      transactions: Math.round(transactions),
      lagP50Ms: weightedPercentile(lags, 50),
      lagP99Ms: weightedPercentile(lags, 99),
    };
  } finally {
    redis.disconnect();
  }
}

function weightedPercentile(values: { lag: number; weight: number }[], p: number): number {
  const total = values.reduce((sum, v) => sum + v.weight, 0);
  if (total === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a.lag - b.lag);
  let seen = 0;
  for (const v of sorted) {
    seen += v.weight;
    if (seen >= (p / 100) * total) return v.lag;
  }
  return sorted.at(-1)!.lag;
}
