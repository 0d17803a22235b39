/**
 * Medians over several `npm run bench` reports, as Markdown tables for docs/performance.md:
 *
 *   node --import tsx test/src/tools/bench-medians.ts .tally/bench/run1/results.json .tally/bench/run2/results.json …
 *
 * Each figure is the median of that figure over the runs (ratios are medians of each run's own
 * side-by-side ratio, never a ratio of medians), with the spread (min–max) beside the key ones.
 */
import { readFileSync } from 'node:fs';
import type { BenchReport } from '../bench/report.js';

const reports = process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, 'utf8')) as BenchReport);
if (reports.length === 0) {
  console.error('usage: bench-medians.ts results.json [results.json …]');
  process.exit(2);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const fig = (pick: (r: BenchReport) => number, digits = 0) => {
  const values = reports.map(pick);
  const f = (v: number) => v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return { median: f(median(values)), spread: `${f(Math.min(...values))}–${f(Math.max(...values))}` };
};
const cell = (pick: (r: BenchReport) => number, digits = 0) => fig(pick, digits).median;
const withSpread = (pick: (r: BenchReport) => number, digits = 2) => {
  const f = fig(pick, digits);
  return `${f.median} (${f.spread})`;
};

console.log(`Medians of ${reports.length} runs: ${reports.map((r) => r.date).join(', ')}\n`);
/** Called only when every report has its ingress section. */
const ingressOf = (r: BenchReport) => r.ingress!;
type WithIngress = BenchReport & Required<Pick<BenchReport, 'ingress'>>;
const full = reports.filter((r): r is WithIngress => r.ingress !== undefined);
if (full.length === reports.length) printIngressMedians();
else console.log('(some reports have no ingress section, --pipeline-only: ingress medians left out)');

function printIngressMedians(): void {
  console.log(
    '| load | Tally req/s | baseline req/s | ratio Tally/baseline | Tally p50 / p99 ms | baseline p50 / p99 ms | CPU µs/request Tally · baseline |',
  );
  console.log('|---|---|---|---|---|---|---|');
  const one = (r: BenchReport) => ingressOf(r).singleClient;
  console.log(
    `| 1 client | ${cell((r) => one(r).tally.reqPerSec)} | ${cell((r) => one(r).baseline.reqPerSec)} | ${withSpread((r) => one(r).tally.reqPerSec / one(r).baseline.reqPerSec)} | ${cell((r) => one(r).tally.p50Ms, 2)} / ${cell((r) => one(r).tally.p99Ms, 1)} | ${cell((r) => one(r).baseline.p50Ms, 2)} / ${cell((r) => one(r).baseline.p99Ms, 1)} | ${cell((r) => one(r).tally.serverCpuUsPerRequest)} · ${cell((r) => one(r).baseline.serverCpuUsPerRequest)} |`,
  );
  for (const [i, row] of full[0]!.ingress.rows.entries()) {
    for (const mode of ['saturation', 'half'] as const) {
      const t = (r: BenchReport) => ingressOf(r).rows[i]!.tally[mode];
      const b = (r: BenchReport) => ingressOf(r).rows[i]!.baseline[mode];
      console.log(
        `| ${row.connections} conns, ${mode === 'half' ? 'half rate' : 'saturation'} | ${cell((r) => t(r).reqPerSec)} | ${cell((r) => b(r).reqPerSec)} | ${withSpread((r) => t(r).reqPerSec / b(r).reqPerSec)} | ${cell((r) => t(r).p50Ms, 2)} / ${cell((r) => t(r).p99Ms, 1)} | ${cell((r) => b(r).p50Ms, 2)} / ${cell((r) => b(r).p99Ms, 1)} | ${cell((r) => t(r).serverCpuUsPerRequest)} · ${cell((r) => b(r).serverCpuUsPerRequest)} |`,
      );
    }
  }
  console.log(
    '\n| connections | BullMQ jobs / 1,000 summaries | Redis commands / summary | Redis bytes / queued summary | Tally, fsync everysec: req/s (ratio) |',
  );
  console.log('|---|---|---|---|---|');
  for (const [i, row] of full[0]!.ingress.rows.entries()) {
    const ev = (r: BenchReport) => ingressOf(r).tallyFsyncEverysec[i]!.saturation.reqPerSec;
    console.log(
      `| ${row.connections} | ${cell((r) => ingressOf(r).rows[i]!.bullmqJobsPer1000Summaries, 1)} | ${withSpread((r) => ingressOf(r).rows[i]!.redisCommandsPerSummary, 3)} | ${cell((r) => ingressOf(r).rows[i]!.redisBytesPerQueuedSummary)} | ${cell(ev)} (${withSpread((r) => ev(r) / ingressOf(r).rows[i]!.baseline.saturation.reqPerSec)}) |`,
    );
  }
  console.log(
    `\nRedis SET from one client (AOF always) p50 ${withSpread((r) => ingressOf(r).redisWriteFloor.p50Ms)} ms, p99 ${cell((r) => ingressOf(r).redisWriteFloor.p99Ms, 1)} ms; peak RSS ingress ${cell((r) => ingressOf(r).ingressPeakRssBytes / 2 ** 20)} MB, bare Fastify ${cell((r) => ingressOf(r).baselinePeakRssBytes / 2 ** 20)} MB`,
  );
}
if (reports[0]!.pipeline.length > 0) {
  console.log(
    '\n| workload | workers | applied summaries/s | backlog jobs start→end | lag p50 / p99 ms | MongoDB writes / summary | worker CPU s / 1,000 summaries |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const [i, row] of reports[0]!.pipeline.entries()) {
    const p = (r: BenchReport) => r.pipeline[i]!;
    console.log(
      `| ${row.workload} | ${row.workers} | ${withSpread((r) => p(r).appliedPerSec, 0)} | ${reports.map((r) => `${p(r).backlogStartJobs}→${p(r).backlogEndJobs}`).join(', ')} | ${cell((r) => p(r).lagP50Ms)} / ${cell((r) => p(r).lagP99Ms)} | ${withSpread((r) => p(r).mongoWritesPerSummary, 3)} | ${cell((r) => p(r).workerCpuSecondsPer1000Summaries, 3)} |`,
    );
  }
}
