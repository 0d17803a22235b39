/**
 * `npm run bench`: Tally's ingress side by side with bare Fastify (same body, same load generator
 * in its own process, same run), then the whole pipeline end to end with 1, 2 and 4 workers on a
 * uniform and a skewed workload. Prints tables, writes the report as JSON (and an SVG chart of
 * latency against throughput) under .tally/bench/.
 *
 *   npm run bench -- [--seconds 10] [--window 30] [--out .tally/bench] [--smoke]
 *                    [--ingress-only | --pipeline-only] [--workers 1,2,4] [--profile DIR] [--cluster]
 *                    [--ingress-env NAME=VALUE …] (settings of the measured ingress, e.g. BATCH_MAX_IN_FLIGHT=2)
 *                    [--generator auto|autocannon]
 *
 * --cluster: also the ingress on a local 3+3 Redis Cluster, 1 and 3 shards, with and without
 * WAIT 1 (bench/cluster-scenario.ts; alone: `npm run bench:cluster`).
 *
 * --smoke: short runs, one worker count; fails unless the report is complete and well formed
 * (never on speed). CI runs it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@tally/testing';
import { latencyChartSvg } from './bench/chart.js';
import { benchCluster, clusterReportProblems, printClusterReport } from './bench/cluster-scenario.js';
import { benchIngressVsBaseline, benchTallyFsyncEverysec } from './bench/ingress-vs-baseline.js';
import { benchPipeline } from './bench/pipeline.js';
import { type BenchReport, printReport, reportProblems } from './bench/report.js';
import type { GeneratorChoice } from './load/load-generator.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    window: { type: 'string', default: '30' },
    out: { type: 'string', default: join(repoRoot(), '.tally', 'bench') },
    smoke: { type: 'boolean', default: false },
    /** Only the ingress-vs-baseline half (profiling and tuning rounds). */
    'ingress-only': { type: 'boolean', default: false },
    /** Only the end-to-end half (worker tuning rounds). */
    'pipeline-only': { type: 'boolean', default: false },
    /** Worker counts of the end-to-end half, comma-separated. */
    workers: { type: 'string' },
    /** auto: wrk for the closed-loop ingress points when installed, else autocannon; autocannon: always. */
    generator: { type: 'string', default: 'auto' },
    /** Writes the ingress's CPU profile (node --cpu-prof) into this directory. */
    profile: { type: 'string' },
    /** NAME=VALUE settings for the ingress under test (tuning rounds); repeatable. */
    'ingress-env': { type: 'string', multiple: true },
    /** Adds the Redis Cluster scenario (about a minute more; not part of --smoke unless given). */
    cluster: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
if (values.generator !== 'auto' && values.generator !== 'autocannon') {
  console.error(`--generator must be auto or autocannon, not ${values.generator}`);
  process.exit(2);
}
const generator: GeneratorChoice = values.generator === 'autocannon' ? 'autocannon' : 'auto';
const seconds = smoke ? 2 : Number(values.seconds);
const connections = [64, 256];
const workerCounts = values.workers ? values.workers.split(',').map(Number) : smoke ? [1] : [1, 2, 4];
const workloads = ['uniform', 'skewed'] as const;

/** Environment that makes a Node process write its CPU profile into `dir` when it exits. */
function cpuProfileEnv(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const preload = join(repoRoot(), 'test', 'src', 'load', 'cpu-profile.preload.mjs');
  return { NODE_OPTIONS: `--import ${preload}`, TALLY_CPU_PROFILE_DIR: resolve(dir) };
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  const halves = [
    values['pipeline-only'] ? undefined : `ingress vs bare Fastify at 1, ${connections.join(' and ')} connections, ${seconds} s per point`,
    values['ingress-only'] ? undefined : `end to end, ${workloads.join(' and ')}, ${workerCounts.join('/')} worker(s)`,
  ].filter((h) => h !== undefined);
  console.log(`bench${smoke ? ' (smoke)' : ''}: ${halves.join('; then ')}`);
  const ingressOptions = {
    seconds,
    connections,
    generator,
    ...(smoke ? { amount: 2000 } : {}),
    ingressEnv: {
      ...Object.fromEntries(
        (values['ingress-env'] ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      ),
      ...(values.profile ? cpuProfileEnv(values.profile) : {}),
    },
  };
  const ingress = values['pipeline-only']
    ? undefined
    : { ...(await benchIngressVsBaseline(ingressOptions)), tallyFsyncEverysec: await benchTallyFsyncEverysec(ingressOptions) };
  const { rows: pipeline, stored } = values['ingress-only']
    ? { rows: [], stored: [] }
    : await benchPipeline({
        workloads: [...workloads],
        workerCounts,
        probeSeconds: smoke ? 2 : 10,
        windowSeconds: smoke ? 3 : Number(values.window),
        connections: 64,
      });
  const cluster = values.cluster
    ? await benchCluster({ seconds, connections: 64, ...(smoke ? { passes: 1, amount: 2000 } : {}) })
    : undefined;
  const cpu = cpus();
  const report: BenchReport = {
    date: new Date(started).toISOString(),
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAverage: { start: loadAtStart, end: loadavg()[0]! },
    },
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    seconds,
    ...(ingress ? { ingress } : {}),
    pipeline,
    stored,
  };
  printReport(report);
  if (cluster) printClusterReport(cluster);
  mkdirSync(values.out, { recursive: true });
  const json = join(values.out, `results${smoke ? '-smoke' : ''}.json`);
  writeFileSync(json, `${JSON.stringify(cluster ? { ...report, cluster } : report, null, 2)}\n`);
  if (report.ingress) writeFileSync(join(values.out, `latency${smoke ? '-smoke' : ''}.svg`), latencyChartSvg(report.ingress));
  console.log(`\nreport: ${json} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const pipelineRows = values['ingress-only'] ? 0 : workloads.length * workerCounts.length;
  const problems = [
    ...reportProblems(report, { connections: values['pipeline-only'] ? undefined : connections, pipelineRows }),
    ...(cluster ? clusterReportProblems(cluster) : []),
  ];
  if (problems.length > 0) {
    console.error(`INCOMPLETE REPORT:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
