/**
 * What metrics and rate limits cost the ingress: the same load against one ingress with neither,
 * with Prometheus metrics on, and with both rate limits on (set above the offered rate, so every
 * request pays for the check and none is refused), in alternating rounds so the figures compare
 * on a shared, noisy machine. Reports the ingress process's CPU time per request (read from
 * /proc, so other processes' load on the machine hardly moves it) beside the request rate
 * (which it does). Loopback only, bounded by time; Linux only.
 *
 *   node --conditions=tally-source --import tsx test/src/ops-overhead.ts [--seconds 6] [--rounds 2] [--concurrency 32]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { keepAlivePoster } from './load/http-post.js';
import { runLoad } from './load/load-loop.js';
import { startStack, TOKENS } from './support/stack.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const scenarios: { name: string; env: Record<string, string> }[] = [
  { name: 'neither', env: {} },
  { name: 'metrics on', env: { METRICS_PORT: '0' } },
  // 10,000 per second per workspace and per token: above what this machine reaches.
  { name: 'rate limits on', env: { RATE_LIMIT_PER_MINUTE: '600000', RATE_LIMIT_PER_TOKEN_PER_MINUTE: '600000' } },
];

/** User plus system CPU time of a process so far, in milliseconds (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function measure(env: Record<string, string>): Promise<{ rate: number; refused: number; cpuUsPerRequest: number }> {
  const stack = await startStack({
    ingresses: 1,
    workers: 0,
    pausableMongo: true,
    env: { BACKLOG_MAX_JOBS: '10000000', ...env },
  });
  try {
    const poster = keepAlivePoster(stack.ingresses[0]!.url, concurrency);
    const headers = { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' };
    const pid = stack.ingresses[0]!.app.pid;
    const cpuBefore = cpuMs(pid);
    const stats = await runLoad({
      concurrency,
      durationMs: seconds * 1000,
      send: (n) =>
        poster.post(
          '/events/summaries',
          JSON.stringify({
            user_id: `user-${n % 1000}`,
            event_summaries: { event_name: `event-${n % 5}`, count: 1, first: 1_700_000_000, last: 1_700_000_000 },
          }),
          headers,
        ),
    });
    const cpu = cpuMs(pid) - cpuBefore;
    poster.close();
    const acked = stats.byStatus.get(200) ?? 0;
    return { rate: (acked / stats.elapsedMs) * 1000, refused: stats.sent - acked, cpuUsPerRequest: (cpu * 1000) / Math.max(1, stats.sent) };
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const rates = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
  const cpu = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    for (const scenario of scenarios) {
      const { rate, refused, cpuUsPerRequest } = await measure(scenario.env);
      rates.get(scenario.name)!.push(rate);
      cpu.get(scenario.name)!.push(cpuUsPerRequest);
      // Refusals here are 503s from a machine too busy to confirm an enqueue in time, not limits.
      console.log(
        `round ${round}, ${scenario.name}: ${Math.round(rate)} acked req/s, ${Math.round(cpuUsPerRequest)} µs ingress CPU per request, ${refused} refused`,
      );
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const base = mean(rates.get('neither')!);
  for (const [name, xs] of rates)
    console.log(`${name}: ${Math.round(mean(xs))} req/s on average, ${((mean(xs) / base) * 100).toFixed(1)} % of neither`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
