import { consumerPolicy, createRedisClient, Queue, shardQueueNames } from '@tally/queue';
import { type RedisCluster, startRedisCluster, uniqueName } from '@tally/testing';
import { generateLoad, type LoadResult } from '../load/load-generator.js';
import { cpuSeconds } from '../load/process-stats.js';
import { type Ingress, startStack, TOKENS } from '../support/stack.js';
import { progressLine, stepDone } from './progress.js';

/** One ingress configuration on the cluster, saturated. */
export interface ClusterPoint {
  shards: number;
  waitReplicas: number;
  /** Requests answered 200 per second (one summary each). */
  summariesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 200, and requests that got none. */
  failed: number;
  /** CPU the ingress spent per request, in µs (steadier than rates on a shared machine). */
  ingressCpuUsPerRequest: number;
  /** BullMQ jobs per 1,000 summaries answered 200: how well group commit batched them. */
  jobsPer1000Summaries: number;
  /** summaries/s over the same run's QUEUE_SHARDS=1, REDIS_WAIT_REPLICAS=0 (means over the passes). */
  ratio: number;
}

export interface ClusterReport {
  /** `redis-server` primaries × replicas, AOF `appendfsync always` on every node. */
  nodes: string;
  connections: number;
  seconds: number;
  /** Each configuration measured once per pass, passes in opposite orders (drift cancels out). */
  passes: number;
  points: ClusterPoint[];
}

export interface ClusterBenchOptions {
  seconds: number;
  connections: number;
  /** 2 (default): A B C D, then D C B A. 1 for a smoke run. */
  passes?: number;
  /** Cap on requests per point (smoke runs). */
  amount?: number;
}

const CONFIGS = [
  { shards: 1, waitReplicas: 0 },
  { shards: 1, waitReplicas: 1 },
  { shards: 3, waitReplicas: 0 },
  { shards: 3, waitReplicas: 1 },
] as const;

/**
 * The ingress on a local 3+3 Redis Cluster with 1 and 3 queue shards, with and without WAIT 1:
 * four ingress processes (one per configuration, each with its own queue prefix) on one
 * cluster, loaded in turn by the same generator at the same connection count, no worker (the
 * queues only grow). Every configuration is loaded once per pass and the passes run in
 * opposite orders, so a machine that slows down during the run does not favour one of them.
 */
export async function benchCluster(options: ClusterBenchOptions): Promise<ClusterReport> {
  const passes = options.passes ?? 2;
  const cluster = await startRedisCluster();
  const stack = await startStack({
    ingresses: 0,
    workers: 0,
    redisCluster: cluster,
    env: { BACKLOG_MAX_JOBS: '100000000', BACKLOG_MAX_SUMMARIES: '100000000', REQUEST_LOG_LEVEL: 'silent' },
  });
  try {
    const prefixes = CONFIGS.map(() => uniqueName('bench'));
    const ingresses = await Promise.all(
      CONFIGS.map((c, i) =>
        stack.addIngress({
          QUEUE_PREFIX: prefixes[i]!,
          QUEUE_SHARDS: String(c.shards),
          REDIS_WAIT_REPLICAS: String(c.waitReplicas),
        }),
      ),
    );
    const results: LoadResult[][] = CONFIGS.map(() => []);
    const cpu: number[] = CONFIGS.map(() => 0);
    for (let pass = 0; pass < passes; pass++) {
      const order = CONFIGS.map((_, i) => i);
      if (pass % 2 === 1) order.reverse();
      for (const i of order) {
        const { result, cpuUsed } = await measure(ingresses[i]!, label(CONFIGS[i]!), options);
        results[i]!.push(result);
        cpu[i]! += cpuUsed;
      }
    }
    const rate = (rs: LoadResult[]) => rs.reduce((sum, r) => sum + ((r.byStatus['200'] ?? 0) / r.elapsedMs) * 1000, 0) / rs.length;
    const base = rate(results[0]!);
    const jobs = await Promise.all(CONFIGS.map((c, i) => queuedJobs(cluster, prefixes[i]!, c.shards)));
    return {
      nodes: '3 primaries × 1 replica',
      connections: options.connections,
      seconds: options.seconds,
      passes,
      points: CONFIGS.map((c, i) => {
        const rs = results[i]!;
        const requests = rs.reduce((sum, r) => sum + r.requests, 0);
        const ok = rs.reduce((sum, r) => sum + (r.byStatus['200'] ?? 0), 0);
        return {
          ...c,
          summariesPerSec: rate(rs),
          p50Ms: median(rs.map((r) => r.p50Ms)),
          p99Ms: median(rs.map((r) => r.p99Ms)),
          failed: rs.reduce((sum, r) => sum + r.requests - (r.byStatus['200'] ?? 0) + r.errors, 0),
          ingressCpuUsPerRequest: (cpu[i]! / Math.max(requests, 1)) * 1e6,
          jobsPer1000Summaries: (jobs[i]! / Math.max(ok, 1)) * 1000,
          ratio: rate(rs) / base,
        };
      }),
    };
  } finally {
    await stack.stop();
    await cluster.stop();
  }
}

/** Jobs waiting in every shard of one configuration (no worker ran, so that is every job added). */
async function queuedJobs(cluster: RedisCluster, prefix: string, shards: number): Promise<number> {
  const redis = createRedisClient({ kind: 'cluster', seeds: [{ host: '127.0.0.1', port: cluster.nodes[0]!.port }] }, consumerPolicy());
  const queues = shardQueueNames('summaries', { shards, cluster: true }).map((name) => new Queue(name, { connection: redis, prefix }));
  try {
    return (await Promise.all(queues.map((q) => q.count()))).reduce((a, b) => a + b, 0);
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    redis.disconnect();
  }
}

function label(c: { shards: number; waitReplicas: number }): string {
  return `cluster, ${c.shards} shard${c.shards > 1 ? 's' : ''}, WAIT ${c.waitReplicas}`;
}

async function measure(ingress: Ingress, name: string, options: ClusterBenchOptions) {
  const before = await cpuSeconds(ingress.app.pid);
  const result = await generateLoad(
    {
      url: ingress.url,
      path: '/events/summaries',
      headers: { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' },
      connections: options.connections,
      durationSeconds: options.seconds,
      workload: 'uniform',
      ...(options.amount !== undefined ? { amount: options.amount } : {}),
    },
    progressLine(name),
  );
  const cpuUsed = (await cpuSeconds(ingress.app.pid)) - before;
  const rate = ((result.byStatus['200'] ?? 0) / result.elapsedMs) * 1000;
  stepDone(name, `${Math.round(rate)} summaries/s (200s), p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`);
  return { result, cpuUsed };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The cluster table: one row per configuration, ratios against 1 shard without WAIT. */
export function printClusterReport(report: ClusterReport): void {
  console.log(
    `\nIngress on a local Redis Cluster (${report.nodes}, AOF always), ${report.connections} connections, ${report.passes} pass(es) of ${report.seconds} s`,
  );
  console.table(
    report.points.map((p) => ({
      shards: p.shards,
      WAIT: p.waitReplicas,
      'summaries/s': Math.round(p.summariesPerSec).toLocaleString('en'),
      'p50/p99 ms': `${p.p50Ms.toFixed(2)}/${p.p99Ms.toFixed(2)}`,
      'ingress CPU µs/request': Math.round(p.ingressCpuUsPerRequest),
      'jobs / 1,000 summaries': p.jobsPer1000Summaries.toFixed(1),
      'not 200': p.failed,
      'vs 1 shard, WAIT 0': p.ratio.toFixed(2),
    })),
  );
}

/** What makes a cluster report unusable: a configuration missing or without one 200. */
export function clusterReportProblems(report: ClusterReport): string[] {
  const problems: string[] = [];
  if (report.points.length !== CONFIGS.length) problems.push(`cluster: ${report.points.length} of ${CONFIGS.length} configurations`);
  for (const p of report.points) {
    if (!(p.summariesPerSec > 0) || !Number.isFinite(p.p99Ms)) problems.push(`cluster ${label(p)}: no answers`);
  }
  return problems;
}
