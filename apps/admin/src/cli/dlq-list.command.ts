import type { Queue } from '@tally/queue';
import { type FailedJobView, listFailedJobs } from '../queue-views/failed-jobs.js';
import type { CommandOutput } from './output.js';
import { countOf, formatAge, formatCount, renderTable, truncate } from './text-format.js';

/** Jobs read per round trip when listing everything. */
const PAGE = 500;
/** Width of the reason column: the table stays readable on a 160-column terminal. */
const REASON_WIDTH = 70;

/** What `dlq list` found: the failed set's size and the jobs shown. */
export interface DlqListResult {
  total: number;
  jobs: FailedJobView[];
}

/** `tally dlq list`: the failed set, newest failure first, as a table or as JSON. */
export async function dlqList(
  queue: Queue,
  options: { json: boolean; limit: number },
  output: CommandOutput,
  now: () => number = Date.now,
): Promise<DlqListResult> {
  const wanted = options.limit === 0 ? Number.POSITIVE_INFINITY : options.limit;
  const jobs: FailedJobView[] = [];
  let total = 0;
  do {
    const page = await listFailedJobs(queue, { offset: jobs.length, limit: Math.min(PAGE, wanted - jobs.length) });
    total = page.total;
    jobs.push(...page.jobs);
    if (page.jobs.length < page.limit) break;
  } while (jobs.length < Math.min(wanted, total));

  if (options.json) output.out(JSON.stringify({ queue: queue.name, prefix: queue.opts.prefix, total, jobs }));
  else for (const line of renderList(jobs, total, now())) output.out(line);
  return { total, jobs };
}

function renderList(jobs: readonly FailedJobView[], total: number, now: number): string[] {
  if (total === 0) return ['no failed jobs'];
  const count = (n: number | null) => (n === null ? '?' : formatCount(n));
  const rows = jobs.map((job) => [
    job.id,
    formatAge(now - job.timestamp),
    job.finishedOn === null ? '?' : `${formatAge(now - job.finishedOn)} ago`,
    String(job.attemptsMade),
    count(job.requests),
    count(job.summaries),
    truncate(job.failedReason || '(no reason recorded)', REASON_WIDTH),
  ]);
  const table = renderTable(['ID', 'AGE', 'FAILED', 'ATTEMPTS', 'REQUESTS', 'SUMMARIES', 'REASON'], rows, new Set([1, 2, 3, 4, 5]));
  const shown =
    jobs.length < total
      ? `showing ${formatCount(jobs.length)} of ${formatCount(total)} failed jobs (--limit 0 shows all)`
      : countOf(total, 'failed job');
  return [...table, '', shown];
}
