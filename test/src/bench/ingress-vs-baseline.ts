import { startProcess, tsEntryCommand } from '@tally/testing';
import { startBuiltIngress } from '../load/built-ingress.js';
import { type GeneratorChoice, generateLoad, type LoadPlan, type LoadResult } from '../load/load-generator.js';
import { cpuSeconds, peakRssBytes } from '../load/process-stats.js';
import { redisSnapshot } from '../load/redis-stats.js';
import { redisWriteFloor } from '../load/redis-write-floor.js';
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
  /**
   * CPU time the server process spent per request, in microseconds: what bounds it once its core
   * is busy, and far less disturbed by a shared machine than rates are.
   */
  serverCpuUsPerRequest: number;
  /** Answers other than 200, and connection errors (timeouts included). */
  failed: number;
  /** Answers by HTTP status, and `errors` for requests that got none. */
  byStatus: Record<string, number>;
  /** The load generator of this point: wrk (closed loop, when installed) or autocannon. */
  generator: LoadResult['generator'];
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
  /** One client's SET on the same Redis (AOF fsync always): the floor of any durable answer. */
  redisWriteFloor: { p50Ms: number; p99Ms: number };
  /**
   * Tally saturated with Redis on `appendfsync everysec`, per connection count: the ingress's own
   * ceiling once the disk's fsync is out of the request path (not the default; for diagnosis).
   */
  tallyFsyncEverysec: { connections: number; saturation: LoadPoint }[];
  rows: IngressRow[];
  ingressPeakRssBytes: number;
  /** The bare server's, loaded the same way (tsx), for scale. */
  baselinePeakRssBytes: number;
  /**
   * The ingress as built (`node apps/ingress/dist/main.js`, as the Dockerfile runs it), saturated
   * at the highest connection count after the rows above; absent without `npm run build`.
   */
  built?: { connections: number; saturation: LoadPoint; peakRssBytes: number };
}

export interface IngressBenchOptions {
  seconds: number;
  connections: number[];
  /** Cap on requests per load point (smoke runs). */
  amount?: number;
  /** Extra environment for the ingress (e.g. NODE_OPTIONS for a CPU profile). */
  ingressEnv?: Record<string, string>;
  /** auto: wrk for the closed-loop points when installed; autocannon: always autocannon. */
  generator: GeneratorChoice;
}

function point(result: LoadResult, cpuSecondsUsed: number): LoadPoint {
  const ok = result.byStatus['200'] ?? 0;
  return {
    reqPerSec: (result.requests / result.elapsedMs) * 1000,
    summariesPerSec: (ok / result.elapsedMs) * 1000,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    summaries: ok,
    serverCpuUsPerRequest: (cpuSecondsUsed / Math.max(result.requests, 1)) * 1e6,
    failed: result.requests - ok + result.errors,
    byStatus: { ...result.byStatus, ...(result.errors > 0 ? { errors: result.errors } : {}) },
    generator: result.generator,
  };
}

const HEADERS = { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' };

/** One load point against `url`, with a progress line and a one-line outcome. */
async function measurePoint(
  server: { url: string; pid: number },
  name: string,
  plan: Partial<LoadPlan> & { connections: number },
  options: IngressBenchOptions,
) {
  const full: LoadPlan = {
    url: server.url,
    path: '/events/summaries',
    headers: HEADERS,
    durationSeconds: options.seconds,
    workload: 'uniform',
    ...(options.amount !== undefined ? { amount: options.amount } : {}),
    ...plan,
  };
  const cpuBefore = await cpuSeconds(server.pid);
  const loaded = await generateLoad(full, progressLine(name), options.generator);
  const result = point(loaded, (await cpuSeconds(server.pid)) - cpuBefore);
  stepDone(
    name,
    `${result.generator}: ${Math.round(result.reqPerSec)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, server CPU ${Math.round(result.serverCpuUsPerRequest)} µs/request`,
  );
  return result;
}

/**
 * The ingress alone (no worker, so the queue only grows and every job it added stays countable)
 * against bare Fastify, each in its own process, loaded in turn by the same generator in a third
 * process: one client, then per connection count the saturated rate and latency, then latency at
 * half that rate (open loop).
 */
export async function benchIngressVsBaseline(options: IngressBenchOptions): Promise<Omit<IngressReport, 'tallyFsyncEverysec'>> {
  const stack = await startStack({ ingresses: 0, workers: 0, pausableMongo: true, env: { BACKLOG_MAX_JOBS: '100000000' } });
  const { command, args, cwd } = tsEntryCommand('test/src/load/bare-fastify.server.ts');
  const bare = await startProcess({ name: 'bare-fastify', command, args, cwd, maxLines: 100 });
  try {
    const ingress = await stack.addIngress(options.ingressEnv);
    const bareUrl = (await bare.waitForLine(/^listening /)).slice('listening '.length);
    const prefix = stack.env.QUEUE_PREFIX!;
    const run = (system: 'tally' | 'baseline', label: string, plan: Partial<LoadPlan> & { connections: number }) =>
      measurePoint(
        system === 'tally' ? { url: ingress.url, pid: ingress.app.pid } : { url: bareUrl, pid: bare.pid },
        `${system} ${label}`,
        plan,
        options,
      );

    const singleClient = {
      baseline: await run('baseline', '1 client', { connections: 1 }),
      tally: await run('tally', '1 client', { connections: 1 }),
    };
    const writeFloor = await redisWriteFloor(stack.redis.url, options.amount !== undefined ? 50 : 500);
    stepDone('Redis SET, 1 client, AOF always', `p50 ${writeFloor.p50Ms.toFixed(2)} ms, p99 ${writeFloor.p99Ms.toFixed(2)} ms`);
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
    const ingressPeakRssBytes = await peakRssBytes(ingress.app.pid);
    return {
      singleClient,
      redisWriteFloor: writeFloor,
      rows,
      ingressPeakRssBytes,
      baselinePeakRssBytes: await peakRssBytes(bare.pid),
      ...(await measureBuilt({ ...stack.env, ...options.ingressEnv }, Math.max(...options.connections), options)),
    };
  } finally {
    await bare.kill();
    await stack.stop();
  }
}

/** One saturated point against the built ingress on the same stack, and its peak RSS. */
async function measureBuilt(env: Record<string, string>, connections: number, options: IngressBenchOptions) {
  const built = await startBuiltIngress(env);
  if (built === undefined) {
    stepDone('tally built (dist)', 'skipped: apps/ingress/dist/main.js missing (npm run build)');
    return {};
  }
  try {
    const server = { url: built.url, pid: built.proc.pid };
    const saturation = await measurePoint(server, `tally built (dist) ${connections} conns, saturation`, { connections }, options);
    return { built: { connections, saturation, peakRssBytes: await peakRssBytes(built.proc.pid) } };
  } finally {
    await built.proc.kill();
  }
}

/**
 * Tally saturated with Redis on `appendfsync everysec`: how fast the ingress itself goes once
 * the disk's fsync is out of the request path. For diagnosis only; the default stays `always`.
 */
export async function benchTallyFsyncEverysec(options: IngressBenchOptions): Promise<IngressReport['tallyFsyncEverysec']> {
  const stack = await startStack({
    ingresses: 1,
    workers: 0,
    pausableMongo: true,
    env: { BACKLOG_MAX_JOBS: '100000000', ...options.ingressEnv },
    redis: { appendFsync: 'everysec' },
  });
  try {
    const rows: IngressReport['tallyFsyncEverysec'] = [];
    for (const connections of options.connections) {
      const name = `tally ${connections} conns, saturation, fsync everysec`;
      const ingress = { url: stack.ingresses[0]!.url, pid: stack.ingresses[0]!.app.pid };
      rows.push({ connections, saturation: await measurePoint(ingress, name, { connections }, options) });
    }
    return rows;
  } finally {
    await stack.stop();
  }
}
