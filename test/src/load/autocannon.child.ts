/**
 * The load generator's own process: autocannon, so it shares no event loop with what it
 * measures. Reads its plan as JSON in argv[2], prints `progress {…}` lines on stderr about once a
 * second and one `result {…}` line on stdout at the end (see load-generator.ts).
 */
import autocannon from 'autocannon';
import { bodyGenerator, type Workload } from './workload.js';

export interface LoadPlan {
  url: string;
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections (open loop); unset: as fast as answers come. */
  overallRate?: number;
  /** Stop after this many requests (smoke runs). */
  amount?: number;
  workload: Workload;
  /** Summaries per request, one user's (default 1; more than 1 only with wrk). */
  summariesPerRequest?: number;
  /** A unique Idempotency-Key on every request, as `tally import` sends (only with wrk). */
  keyed?: boolean;
}

export interface LoadResult {
  /** Requests answered. */
  requests: number;
  /** Bodies handed to autocannon but never answered (in flight when the run stopped): an upper bound. */
  unanswered: number;
  byStatus: Record<string, number>;
  errors: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Which program generated the load. */
  generator: 'wrk' | 'autocannon';
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
const nextBody = bodyGenerator(plan.workload);
// autocannon's own percentiles are whole milliseconds; these keep the fraction.
let latencies = new Float64Array(1 << 16);
let count = 0;
let generated = 0;
const byStatus: Record<string, number> = {};
const started = performance.now();
const progress = setInterval(() => {
  process.stderr.write(`progress ${JSON.stringify({ requests: count, elapsedMs: performance.now() - started })}\n`);
}, 1000);

function finish(error: Error | null, summary: autocannon.Result): void {
  clearInterval(progress);
  if (error) throw error;
  const sorted = latencies.slice(0, count).sort();
  const result: LoadResult = {
    requests: count,
    unanswered: Math.max(0, generated - count),
    byStatus,
    errors: summary.errors + summary.timeouts,
    elapsedMs: performance.now() - started,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    generator: 'autocannon',
  };
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
}

const instance = autocannon(
  {
    url: plan.url,
    connections: plan.connections,
    duration: plan.durationSeconds,
    ...(plan.amount !== undefined ? { amount: plan.amount } : {}),
    ...(plan.overallRate !== undefined ? { overallRate: plan.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        path: plan.path,
        headers: plan.headers,
        setupRequest: (request) => {
          generated += 1;
          return { ...request, body: nextBody() };
        },
      },
    ],
  },
  finish,
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (count === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[count] = responseTime;
  count += 1;
  byStatus[statusCode] = (byStatus[statusCode] ?? 0) + 1;
});
