/**
 * `npm run bench`: the pipeline under load, in several configurations side by side in one run,
 * so the figures compare on a shared, noisy machine. Each scenario measures the two halves
 * apart, so neither steals the other's CPU on a 2-core machine: first the ingress alone (no
 * worker: acknowledged requests/s, latency, Redis commands per summary), then one worker
 * draining what was queued (summaries applied/s). Prints a table and ratios, and checks that
 * every acknowledged summary was stored exactly once.
 *
 *   npm run bench -- [--seconds 10] [--concurrency 32] [--smoke]
 */
import { parseArgs } from 'node:util';
import { storedTotal, waitForDrain } from './load/drain.js';
import { keepAlivePoster } from './load/http-post.js';
import { percentile, runLoad } from './load/load-loop.js';
import { redisCommandsProcessed } from './load/redis-commands.js';
import { startStack, TOKENS } from './support/stack.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    smoke: { type: 'boolean', default: false },
  },
});
const seconds = values.smoke ? 2 : Number(values.seconds);
const concurrency = values.smoke ? 4 : Number(values.concurrency);
const maxRequests = values.smoke ? 200 : undefined;

interface Scenario {
  name: string;
  env: Record<string, string>;
  fsync: 'always' | 'everysec';
}

const scenarios: Scenario[] = [
  { name: 'micro-batched, AOF fsync always (default)', env: {}, fsync: 'always' },
  { name: 'one job per request, AOF fsync always', env: { BATCH_MAX_WAIT_MS: '0', BATCH_MAX_SUMMARIES: '1' }, fsync: 'always' },
  { name: 'micro-batched, AOF fsync everysec', env: {}, fsync: 'everysec' },
];

interface Row {
  scenario: string;
  acked: number;
  refused: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  redisCmdsPerSummary: number;
  drainMs: number;
  stored: number;
}

async function run(scenario: Scenario): Promise<Row> {
  // The emulator runs as its own process (pausableMongo), not inside this load generator.
  // No backlog cap: with no worker running, one job per request would otherwise hit it.
  const stack = await startStack({
    ingresses: 1,
    workers: 0,
    pausableMongo: true,
    env: { BACKLOG_MAX_JOBS: '10000000', ...scenario.env },
    redis: { appendFsync: scenario.fsync },
  });
  try {
    const poster = keepAlivePoster(stack.ingresses[0]!.url, concurrency);
    const headers = { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' };
    const before = await redisCommandsProcessed(stack.redis.url);
    const stats = await runLoad({
      concurrency,
      durationMs: seconds * 1000,
      ...(maxRequests ? { maxRequests } : {}),
      send: (n) =>
        poster.post(
          '/events/summaries',
          JSON.stringify({
            user_id: `user-${n % 1000}`,
            event_summaries: { event_name: `event-${n % 5}`, count: 1, first: 1_700_000_000 + (n % 3600), last: 1_700_003_600 },
          }),
          headers,
        ),
      onProgress: (s) =>
        process.stdout.write(`\r  ${scenario.name}: ${s.sent} sent, ${Math.round((s.sent / s.elapsedMs) * 1000)} req/s   `),
    });
    poster.close();
    const acked = stats.byStatus.get(200) ?? 0;
    const after = await redisCommandsProcessed(stack.redis.url);
    await stack.addWorker();
    const drainMs = await waitForDrain(stack.redis.url, stack.env.QUEUE_PREFIX!, { timeoutMs: 300_000 });
    const stored = await storedTotal(stack.db);
    process.stdout.write('\n');
    return {
      scenario: scenario.name,
      acked,
      refused: stats.sent - acked,
      reqPerSec: (acked / stats.elapsedMs) * 1000,
      p50: percentile(stats.latenciesMs, 50),
      p99: percentile(stats.latenciesMs, 99),
      redisCmdsPerSummary: (after - before) / Math.max(acked, 1),
      drainMs,
      stored,
    };
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `bench: ${scenarios.length} scenarios, ${seconds}s of load each from ${concurrency} concurrent clients, 1 summary per request; 1 ingress alone, then 1 worker draining the queue`,
  );
  const rows: Row[] = [];
  for (const scenario of scenarios) rows.push(await run(scenario));
  console.table(
    rows.map((r) => ({
      scenario: r.scenario,
      'acked req/s': Math.round(r.reqPerSec),
      'p50 ms': r.p50.toFixed(1),
      'p99 ms': r.p99.toFixed(1),
      'redis cmds/summary': r.redisCmdsPerSummary.toFixed(2),
      'worker summaries/s': Math.round((r.acked / r.drainMs) * 1000),
      acked: r.acked,
      refused: r.refused,
      stored: r.stored,
    })),
  );
  const [base, perRequest, everysec] = rows as [Row, Row, Row];
  const workerRate = (r: Row) => r.acked / r.drainMs;
  console.log(
    `ratio micro-batched / one-job-per-request: ingress ${(base.reqPerSec / perRequest.reqPerSec).toFixed(2)}x, worker ${(workerRate(base) / workerRate(perRequest)).toFixed(2)}x, Redis commands per summary ${(base.redisCmdsPerSummary / perRequest.redisCmdsPerSummary).toFixed(2)}x`,
  );
  console.log(`ratio fsync always / fsync everysec: ingress ${(base.reqPerSec / everysec.reqPerSec).toFixed(2)}x`);
  const wrong = rows.filter((r) => r.stored !== r.acked);
  if (wrong.length > 0) {
    console.error(
      `MISMATCH: stored totals differ from acked summaries in: ${wrong.map((r) => `${r.scenario} (${r.stored} vs ${r.acked})`).join(', ')}`,
    );
    process.exit(1);
  }
  console.log('every acked summary was stored exactly once in every scenario');
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
