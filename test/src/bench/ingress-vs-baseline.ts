import { startProcess, tsEntryCommand } from '@tally/testing';
import { generateLoad, type LoadPlan, type LoadResult } from '../load/load-generator.js';
import { peakRssBytes } from '../load/process-stats.js';
import { redisSnapshot } from '../load/redis-stats.js';
import { startStack, TOKENS } from '../support/stack.js';
import { progressLine, stepDone } from './progress.js';

/** Latency and rate of one system at one load. */
export interface LoadPoint {
  reqPerSec: number;
  /** Requests answered 200, per second (one summary per request). */
  summariesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests answered 200. */
  summaries: number;
  /** Answers other than 200, and connection errors. */
  failed: number;
}

/** Tally and the baseline at one number of connections. */
export interface IngressRow {
  connections: number;
  tally: { saturation: LoadPoint; half: LoadPoint };
  baseline: { saturation: LoadPoint; half: LoadPoint };
  /** Tally's saturated req/s over the baseline's. */
  ratio: number;
  bullmqJobsPer1000Summaries: number;
  redisCommandsPerSummary: number;
  redisBytesPerQueuedSummary: number;
}

export interface IngressReport {
  singleClient: { tally: LoadPoint; baseline: LoadPoint };
  rows: IngressRow[];
  ingressPeakRssBytes: number;
  /** The bare server's, loaded the same way (tsx), for scale. */
  baselinePeakRssBytes: number;
}

export interface IngressBenchOptions {
  seconds: number;
  connections: number[];
  /** Cap on requests per load point (smoke runs). */
  amount?: number;
  /** Extra environment for the ingress (e.g. NODE_OPTIONS for a CPU profile). */
  ingressEnv?: Record<string, string>;
}

function point(result: LoadResult): LoadPoint {
  const ok = result.byStatus['200'] ?? 0;
  return {
    reqPerSec: (result.requests / result.elapsedMs) * 1000,
    summariesPerSec: (ok / result.elapsedMs) * 1000,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    summaries: ok,
    failed: result.requests - ok + result.errors,
  };
}

/**
 * The ingress alone (no worker, so the queue only grows and every job it added stays countable)
 * against bare Fastify, each in its own process, loaded in turn by the same generator in a third
 * process: one client, then per connection count the saturated rate and latency, then latency at
 * half that rate (open loop).
 */
export async function benchIngressVsBaseline(options: IngressBenchOptions): Promise<IngressReport> {
  const stack = await startStack({ ingresses: 0, workers: 0, pausableMongo: true, env: { BACKLOG_MAX_JOBS: '100000000' } });
  const ingress = await stack.addIngress(options.ingressEnv);
  const { command, args, cwd } = tsEntryCommand('test/src/load/bare-fastify.server.ts');
  const bare = await startProcess({ name: 'bare-fastify', command, args, cwd, maxLines: 100 });
  try {
    const bareUrl = (await bare.waitForLine(/^listening /)).slice('listening '.length);
    const prefix = stack.env.QUEUE_PREFIX!;
    const headers = { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' };
    const run = async (system: 'tally' | 'baseline', label: string, plan: Partial<LoadPlan> & { connections: number }) => {
      const full: LoadPlan = {
        url: system === 'tally' ? ingress.url : bareUrl,
        path: '/events/summaries',
        headers,
        durationSeconds: options.seconds,
        workload: 'uniform',
        ...(options.amount !== undefined ? { amount: options.amount } : {}),
        ...plan,
      };
      const name = `${system} ${label}`;
      const result = point(await generateLoad(full, progressLine(name)));
      stepDone(name, `${Math.round(result.reqPerSec)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`);
      return result;
    };

    const singleClient = {
      baseline: await run('baseline', '1 client', { connections: 1 }),
      tally: await run('tally', '1 client', { connections: 1 }),
    };
    const rows: IngressRow[] = [];
    for (const connections of options.connections) {
      const baseSat = await run('baseline', `${connections} conns, saturation`, { connections });
      const before = await redisSnapshot(stack.redis.url, prefix);
      const tallySat = await run('tally', `${connections} conns, saturation`, { connections });
      const after = await redisSnapshot(stack.redis.url, prefix);
      const acked = Math.max(tallySat.summaries, 1);
      const half = (rate: number) => ({ connections, overallRate: Math.max(1, Math.round(rate / 2)) });
      const baseHalf = await run('baseline', `${connections} conns, half rate`, half(baseSat.reqPerSec));
      const tallyHalf = await run('tally', `${connections} conns, half rate`, half(tallySat.reqPerSec));
      rows.push({
        connections,
        tally: { saturation: tallySat, half: tallyHalf },
        baseline: { saturation: baseSat, half: baseHalf },
        ratio: tallySat.reqPerSec / baseSat.reqPerSec,
        bullmqJobsPer1000Summaries: ((after.waitingJobs - before.waitingJobs) / acked) * 1000,
        redisCommandsPerSummary: (after.commands - before.commands) / acked,
        redisBytesPerQueuedSummary: (after.usedMemory - before.usedMemory) / acked,
      });
    }
    return {
      singleClient,
      rows,
      ingressPeakRssBytes: await peakRssBytes(ingress.app.pid),
      baselinePeakRssBytes: await peakRssBytes(bare.pid),
    };
  } finally {
    await bare.kill();
    await stack.stop();
  }
}
