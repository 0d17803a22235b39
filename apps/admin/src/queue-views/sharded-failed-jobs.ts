import type { Job, Queue, RedisClient } from '@tally/queue';
import { type FailedJobView, toFailedJobView } from './failed-jobs.js';

/** A failed job and the shard that holds it (retries and drops go to that shard). */
export interface ShardFailedJobView extends FailedJobView {
  queue: string;
}

/** A page of the failed sets of every shard, newest failure first across them all. */
export interface ShardedFailedJobsPage {
  total: number;
  offset: number;
  limit: number;
  jobs: ShardFailedJobView[];
}

/**
 * One page of the failed sets of every shard, as if they were one set. Each failed set is a
 * sorted set scored by the time of failure, so the page is found by merging the ids and scores
 * of each shard's newest `offset + limit` entries (no job is read for that), and only the jobs
 * of the page itself are then read.
 */
export async function listShardedFailedJobs(
  shards: readonly Queue[],
  page: { offset: number; limit: number },
): Promise<ShardedFailedJobsPage> {
  const [counts, ranked] = await Promise.all([
    Promise.all(shards.map((shard) => shard.getFailedCount())),
    page.limit === 0 ? Promise.resolve([]) : Promise.all(shards.map((shard) => newestFailed(shard, page.offset + page.limit))),
  ]);
  const chosen = ranked
    .flat()
    .sort((a, b) => b.failedAt - a.failedAt)
    .slice(page.offset, page.offset + page.limit);
  const jobs = await Promise.all(chosen.map(async ({ shard, id }) => ({ shard, job: (await shard.getJob(id)) as Job | undefined })));
  return {
    total: counts.reduce((sum, n) => sum + n, 0),
    offset: page.offset,
    limit: page.limit,
    // A job removed between the two reads is skipped, as on one queue.
    jobs: jobs.filter(({ job }) => job?.id !== undefined).map(({ shard, job }) => ({ ...toFailedJobView(job!), queue: shard.name })),
  };
}

async function newestFailed(shard: Queue, count: number): Promise<{ shard: Queue; id: string; failedAt: number }[]> {
  // BullMQ reads failed jobs with their hashes; only the ids and scores are needed to merge.
  const client = (await shard.getBackend().client) as unknown as Pick<RedisClient, 'zrevrange'>;
  const flat = await client.zrevrange(shard.toKey('failed'), 0, count - 1, 'WITHSCORES');
  const entries: { shard: Queue; id: string; failedAt: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ shard, id: flat[i]!, failedAt: Number(flat[i + 1]) });
  return entries;
}
