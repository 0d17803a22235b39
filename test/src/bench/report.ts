import type { IngressReport, LoadPoint } from './ingress-vs-baseline.js';
import type { PipelineRow, StoredCheck } from './pipeline.js';

export interface BenchReport {
  date: string;
  /** `loadAverage`: the 1-minute load average at the start and at the end of the run (other work on the machine). */
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAverage: { start: number; end: number } };
  command: string;
  seconds: number;
  /** Absent with --pipeline-only. */
  ingress?: IngressReport;
  pipeline: PipelineRow[];
  /** Every summary answered 200 end to end, against the stored total once drained. */
  stored: StoredCheck[];
}

const ms = (v: number) => v.toFixed(2);
const int = (v: number) => Math.round(v).toLocaleString('en');

/** The report as tables on screen, with the targets beside the figures. */
export function printReport(report: BenchReport): void {
  if (report.ingress) printIngress(report, report.ingress);
  printPipeline(report);
  printTargets(report);
}

function printIngress(report: BenchReport, ingress: IngressReport): void {
  const one = ingress.singleClient;
  console.log(
    `\nIngress vs bare Fastify (same body, same generator, same run) — ${report.date}, ${report.machine.cpus} × ${report.machine.cpuModel}`,
  );
  const sat = (p: LoadPoint) => `${int(p.reqPerSec)} · ${ms(p.p50Ms)}/${ms(p.p99Ms)}`;
  console.table([
    {
      load: '1 client',
      tally: sat(one.tally),
      baseline: sat(one.baseline),
      ratio: (one.tally.reqPerSec / one.baseline.reqPerSec).toFixed(2),
    },
    ...ingress.rows.flatMap((r) => [
      {
        load: `${r.connections} conns, saturation`,
        tally: sat(r.tally.saturation),
        baseline: sat(r.baseline.saturation),
        ratio: r.ratio.toFixed(2),
      },
      { load: `${r.connections} conns, half rate`, tally: sat(r.tally.half), baseline: sat(r.baseline.half), ratio: '' },
    ]),
  ]);
  console.log('  (cells: req/s · p50/p99 ms)');
  const floor = ingress.redisWriteFloor;
  console.log(
    `  where a durable answer starts: one client's SET on the same Redis (AOF fsync always) p50 ${ms(floor.p50Ms)} ms, p99 ${ms(floor.p99Ms)} ms`,
  );
  for (const e of ingress.tallyFsyncEverysec) {
    const base = ingress.rows.find((r) => r.connections === e.connections)?.baseline.saturation;
    const ratio = base ? ` (${(e.saturation.reqPerSec / base.reqPerSec).toFixed(2)}× the baseline above)` : '';
    console.log(`  Tally with Redis fsync everysec, ${e.connections} conns: ${sat(e.saturation)}${ratio}`);
  }
  console.table(
    ingress.rows.map((r) => ({
      connections: r.connections,
      'summaries/s': int(r.tally.saturation.summariesPerSec),
      'CPU µs/request tally · baseline': `${int(r.tally.saturation.serverCpuUsPerRequest)} · ${int(r.baseline.saturation.serverCpuUsPerRequest)}`,
      'not 200 (sat · half)': `${r.tally.saturation.failed} · ${r.tally.half.failed}`,
      'BullMQ jobs / 1,000 summaries': r.bullmqJobsPer1000Summaries.toFixed(1),
      'Redis cmds / summary': r.redisCommandsPerSummary.toFixed(3),
      'Redis bytes / queued summary': int(r.redisBytesPerQueuedSummary),
    })),
  );
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  console.log(`  peak RSS: ingress ${mb(ingress.ingressPeakRssBytes)} (tsx), bare Fastify ${mb(ingress.baselinePeakRssBytes)} (tsx)`);
  if (ingress.built) {
    console.log(
      `  ingress as built (node apps/ingress/dist/main.js), ${ingress.built.connections} conns: ${sat(ingress.built.saturation)}, peak RSS ${mb(ingress.built.peakRssBytes)}`,
    );
  }
  const generators = new Set(
    [ingress.singleClient.tally, ...ingress.rows.flatMap((r) => [r.tally.saturation, r.tally.half])].map((p) => p.generator),
  );
  console.log(`  load generator: ${[...generators].join(' (closed loop) and ')}${generators.size > 1 ? ' (paced, open loop)' : ''}`);
}

function printPipeline(report: BenchReport): void {
  if (report.pipeline.length === 0) return;
  console.log('\nEnd to end (ingress + workers + Redis + emulator), paced at 0.9× what a probe saw applied');
  console.table(
    report.pipeline.map((r) => ({
      workload: r.workload,
      workers: r.workers,
      'offered/s': int(r.offeredPerSec),
      'applied summaries/s': int(r.appliedPerSec),
      'backlog jobs start→end': `${r.backlogStartJobs}→${r.backlogEndJobs}`,
      'lag p50/p99 ms': `${int(r.lagP50Ms)}/${int(r.lagP99Ms)}`,
      'Mongo writes / summary': r.mongoWritesPerSummary.toFixed(3),
      'summaries / transaction': r.summariesPerTransaction.toFixed(1),
      'worker CPU s / 1,000': r.workerCpuSecondsPer1000Summaries.toFixed(3),
      refused: r.refused,
    })),
  );
  for (const c of report.stored) {
    console.log(
      `  ${c.workload}: ${c.acked} summaries acknowledged, ${c.stored} stored (at most ${c.unsure} more could be: refused or unanswered)`,
    );
  }
}

function printTargets(report: BenchReport): void {
  const rows = report.ingress?.rows ?? [];
  const at = (c: number) => rows.find((r) => r.connections === c);
  const skewed = report.pipeline.filter((r) => r.workload === 'skewed');
  const { ingress } = report;
  const checks: [string, boolean | undefined][] = [
    ['ingress ≥ 0.8× baseline at every connection count', ingress && rows.every((r) => r.ratio >= 0.8)],
    ['p50 at 64 conns ≤ 2× baseline + 1 ms', at(64) && at(64)!.tally.saturation.p50Ms <= 2 * at(64)!.baseline.saturation.p50Ms + 1],
    ['single client p50 ≤ 2 ms', ingress && ingress.singleClient.tally.p50Ms <= 2],
    ['≤ 0.05 Redis commands / summary at saturation', ingress && rows.every((r) => r.redisCommandsPerSummary <= 0.05)],
    ['skewed ≤ 0.3 MongoDB writes / summary', skewed.length > 0 ? skewed.every((r) => r.mongoWritesPerSummary <= 0.3) : undefined],
    [
      'ingress RSS ≤ 150 MB (as built when measured, else through tsx)',
      ingress && (ingress.built?.peakRssBytes ?? ingress.ingressPeakRssBytes) <= 150 * 2 ** 20,
    ],
  ];
  const load = report.machine.loadAverage;
  console.log(
    `\nTargets (issue 8; informative: load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end, on ${report.machine.cpus} CPUs)`,
  );
  for (const [name, ok] of checks) console.log(`  ${ok === undefined ? '  n/a' : ok ? 'met ' : 'MISS'}  ${name}`);
}

/**
 * Problems that make a report incomplete or malformed: a missing section, or a figure that is
 * not a finite number. Speed is never checked.
 */
export function reportProblems(report: BenchReport, expected: { connections: number[] | undefined; pipelineRows: number }): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'number' && !Number.isFinite(value)) problems.push(`${path} is ${value}`);
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
  };
  walk(report, 'report');
  const connections = report.ingress?.rows.map((r) => r.connections) ?? [];
  if (connections.join() !== (expected.connections ?? []).join())
    problems.push(`ingress rows at ${connections.join()} connections, expected ${(expected.connections ?? []).join()}`);
  if (report.pipeline.length !== expected.pipelineRows)
    problems.push(`${report.pipeline.length} pipeline rows, expected ${expected.pipelineRows}`);
  // Refusals are reported, not failed on: a 503 when Redis confirms late (ENQUEUE_TIMEOUT_MS) is
  // the ingress doing its job on a slow disk, and speed is not what the smoke run checks.
  for (const r of report.ingress?.rows ?? [])
    if (r.tally.saturation.summaries === 0) problems.push(`no summary acknowledged at ${r.connections} connections`);
  for (const c of report.stored) {
    if (c.acked === 0) problems.push(`${c.workload}: nothing acknowledged end to end`);
    if (c.stored < c.acked) problems.push(`${c.workload}: ${c.acked - c.stored} acknowledged summaries missing from MongoDB`);
    if (c.stored > c.acked + c.unsure) problems.push(`${c.workload}: ${c.stored - c.acked - c.unsure} summaries stored twice`);
  }
  return problems;
}
