import { storedTotal, waitForDrain } from '../load/drain.js';
import { completedJobStats } from '../load/job-stats.js';
import { generateLoad } from '../load/load-generator.js';
import { cpuSeconds } from '../load/process-stats.js';
import { redisSnapshot } from '../load/redis-stats.js';
import type { Workload } from '../load/workload.js';
import { type Stack, startStack, TOKENS } from '../support/stack.js';
import { progressLine, stepDone } from './progress.js';

/** One workload at one number of workers, end to end. */
export interface PipelineRow {
  workload: Workload;
  workers: number;
  /** Rate the load generator was asked for (0.9× what the probe saw applied). */
  offeredPerSec: number;
  /** Summaries applied to MongoDB per second during the window. */
  appliedPerSec: number;
  windowSeconds: number;
  /** Jobs waiting at the start and at the end of the window: flat means the workers kept up. */
  backlogStartJobs: number;
  backlogEndJobs: number;
  lagP50Ms: number;
  lagP99Ms: number;
  mongoWritesPerSummary: number;
  /** Summaries per MongoDB transaction (worker group commit lets jobs share one). */
  summariesPerTransaction: number;
  workerCpuSecondsPer1000Summaries: number;
  /** Requests not answered 200 during the window. */
  refused: number;
}

/**
 * Acknowledged against stored, per workload, once the queue is drained. Stored may exceed acked
 * only by requests answered 503 that Redis had in fact queued (a 503 means not acknowledged, not
 * certainly not queued); stored below acked is a lost summary.
 */
export interface StoredCheck {
  workload: Workload;
  acked: number;
  stored: number;
  /** Requests refused, failed or never answered (in flight when a load run stopped): stored may exceed acked by at most this. */
  unsure: number;
}

export interface PipelineBenchOptions {
  workloads: Workload[];
  workerCounts: number[];
  probeSeconds: number;
  windowSeconds: number;
  connections: number;
}

const HEADERS = { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' };

/**
 * What the probe saw applied per second: a closed loop for `seconds` against a capped backlog, so
 * the rate settles where the workers are the limit (refusals above the cap are fast 503s).
 */
async function probe(stack: Stack, workload: Workload, seconds: number, connections: number, label: string) {
  const before = await storedTotal(stack.db);
  const started = performance.now();
  const result = await generateLoad(
    { url: stack.ingresses[0]!.url, path: '/events/summaries', headers: HEADERS, connections, durationSeconds: seconds, workload },
    progressLine(`${label} probe`),
  );
  const applied = ((await storedTotal(stack.db)) - before) / ((performance.now() - started) / 1000);
  await waitForDrain(stack.redis.url, stack.env.QUEUE_PREFIX!, { timeoutMs: 120_000 });
  const acked = result.byStatus['200'] ?? 0;
  return { applied, acked, unsure: result.requests - acked + result.unanswered };
}

async function measure(
  stack: Stack,
  workload: Workload,
  options: PipelineBenchOptions,
): Promise<{ row: PipelineRow; acked: number; unsure: number }> {
  const label = `pipeline ${workload}, ${stack.workers.length} worker(s)`;
  const prefix = stack.env.QUEUE_PREFIX!;
  const probed = await probe(stack, workload, options.probeSeconds, options.connections, label);
  const offered = Math.max(50, Math.round(0.9 * probed.applied));
  const workerCpu = async () => (await Promise.all(stack.workers.map((w) => cpuSeconds(w.pid)))).reduce((a, b) => a + b, 0);
  // The window opens a second into the paced load, once the generator's connections are up.
  let window: { t0: number; stored0: number; cpu0: number; backlog0: number } | undefined;
  const opening = setTimeout(async () => {
    const t0 = Date.now();
    const [stored0, cpu0, snapshot] = await Promise.all([storedTotal(stack.db), workerCpu(), redisSnapshot(stack.redis.url, prefix)]);
    window = { t0, stored0, cpu0, backlog0: snapshot.waitingJobs };
  }, 1000);
  const result = await generateLoad(
    {
      url: stack.ingresses[0]!.url,
      path: '/events/summaries',
      headers: HEADERS,
      connections: options.connections,
      durationSeconds: options.windowSeconds + 1,
      overallRate: offered,
      workload,
    },
    progressLine(`${label} at ${offered}/s`),
  );
  clearTimeout(opening);
  const t1 = Date.now();
  const [stored1, cpu1, snapshot] = await Promise.all([storedTotal(stack.db), workerCpu(), redisSnapshot(stack.redis.url, prefix)]);
  if (window === undefined) throw new Error(`${label}: the measuring window never opened`);
  const applied = stored1 - window.stored0;
  const jobs = await completedJobStats(stack.redis.url, prefix, window.t0, t1);
  const seconds = (t1 - window.t0) / 1000;
  const row: PipelineRow = {
    workload,
    workers: stack.workers.length,
    offeredPerSec: offered,
    appliedPerSec: applied / seconds,
    windowSeconds: seconds,
    backlogStartJobs: window.backlog0,
    backlogEndJobs: snapshot.waitingJobs,
    lagP50Ms: jobs.lagP50Ms,
    lagP99Ms: jobs.lagP99Ms,
    mongoWritesPerSummary: jobs.mongoWrites / Math.max(jobs.requests, 1),
    summariesPerTransaction: jobs.requests / Math.max(jobs.transactions, 1),
    workerCpuSecondsPer1000Summaries: ((cpu1 - window.cpu0) / Math.max(applied, 1)) * 1000,
    refused: result.requests - (result.byStatus['200'] ?? 0) + result.errors,
  };
  stepDone(
    label,
    `${Math.round(row.appliedPerSec)} summaries/s applied, backlog ${row.backlogStartJobs}→${row.backlogEndJobs} jobs, lag p50 ${row.lagP50Ms} ms`,
  );
  const acked = result.byStatus['200'] ?? 0;
  return { row, acked: probed.acked + acked, unsure: probed.unsure + result.requests - acked + result.unanswered };
}

/**
 * Ingress, workers, Redis and the emulator together (each its own process). Per workload, one
 * stack; workers are added between steps (1 → 2 → 4). Each step probes what the workers apply,
 * then offers 0.9× that for the window and reports what was applied, whether the backlog stayed
 * flat, the lag from enqueue to commit, MongoDB writes per summary and worker CPU.
 */
export async function benchPipeline(options: PipelineBenchOptions): Promise<{ rows: PipelineRow[]; stored: StoredCheck[] }> {
  const rows: PipelineRow[] = [];
  const stored: StoredCheck[] = [];
  for (const workload of options.workloads) {
    // A small backlog cap keeps the probe's closed loop from queueing more than the workers drain.
    const stack = await startStack({ ingresses: 1, workers: 0, pausableMongo: true, env: { BACKLOG_MAX_JOBS: '200' } });
    try {
      let acked = 0;
      let unsure = 0;
      for (const count of options.workerCounts) {
        while (stack.workers.length < count) await stack.addWorker();
        const measured = await measure(stack, workload, options);
        rows.push(measured.row);
        acked += measured.acked;
        unsure += measured.unsure;
      }
      await waitForDrain(stack.redis.url, stack.env.QUEUE_PREFIX!, { timeoutMs: 120_000 });
      stored.push({ workload, acked, stored: await storedTotal(stack.db), unsure });
    } finally {
      await stack.stop();
    }
  }
  return { rows, stored };
}
