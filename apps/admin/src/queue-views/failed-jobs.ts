import type { Job, Queue } from '@tally/queue';
import { payloadSize } from './payload-size.js';

/** One job of the dead-letter (failed) set, as the operator views and the CLI show it. */
export interface FailedJobView {
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  /** When the job was first added, in epoch milliseconds. */
  timestamp: number;
  /** When it failed for good, in epoch milliseconds (null if BullMQ did not record it). */
  finishedOn: number | null;
  requests: number | null;
  summaries: number | null;
}

/** A page of the failed set, newest failure first, and the size of the whole set. */
export interface FailedJobsPage {
  total: number;
  offset: number;
  limit: number;
  jobs: FailedJobView[];
}

/** Projects a BullMQ job onto what an operator needs to decide between retry and drop. */
export function toFailedJobView(job: Job): FailedJobView {
  return {
    id: String(job.id),
    name: job.name,
    failedReason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    timestamp: job.timestamp,
    finishedOn: job.finishedOn ?? null,
    ...payloadSize(job.data),
  };
}

/**
 * Reads one page of the failed set. Newest first, because the failure an operator is chasing is
 * usually the latest one; the total lets a caller say how many more there are.
 */
export async function listFailedJobs(queue: Queue, page: { offset: number; limit: number }): Promise<FailedJobsPage> {
  const [total, jobs] = await Promise.all([
    queue.getFailedCount(),
    page.limit === 0 ? Promise.resolve([]) : queue.getFailed(page.offset, page.offset + page.limit - 1),
  ]);
  // A job removed between the range read and the hash read comes back empty: skip it.
  const present = jobs.filter((job): job is Job => job !== undefined && job !== null && job.id !== undefined);
  return { total, offset: page.offset, limit: page.limit, jobs: present.map(toFailedJobView) };
}

/**
 * Ids of every job in the failed set right now, oldest failure first. Bulk retries and drops
 * work from this snapshot: a re-driven job that fails again re-enters the set, and walking the
 * live set would re-drive it forever.
 */
export async function snapshotFailedIds(queue: Queue): Promise<string[]> {
  return queue.getRanges(['failed'], 0, -1, true);
}
