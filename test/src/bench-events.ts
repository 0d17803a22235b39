/**
 * `npm run bench:events`: what storing raw events for the event list costs, side by side in
 * one run. Three workloads through the same pipeline (one ingress alone, then one worker
 * draining what was queued): summaries only (`POST /events/summaries`), raw events without
 * metadata and raw events with three metadata keys (`POST /events`). For each: acknowledged
 * requests/s, worker events/s, MongoDB documents written per event (ledger entries + summary
 * upserts + raw events) and bytes of `raw_events` document per event. Checks that every
 * acknowledged event was counted once and, for raw events, listed once. A 503 or a dropped
 * connection is not an acknowledgement but may still have been queued (an add Redis confirmed
 * after ENQUEUE_TIMEOUT_MS), so those may be counted too, at most once each; a count past
 * that is a double count, one short of the acknowledged is a loss.
 *
 *   npm run bench:events -- [--seconds 10] [--concurrency 32] [--workloads 1|2|3]
 */
import { parseArgs } from 'node:util';
import { consumerConnection, Queue, queueName } from '@tally/queue';
import { COLLECTIONS } from '@tally/store';
import { BSON } from 'mongodb';
import { storedTotal, waitForDrain } from './load/drain.js';
import { keepAlivePoster } from './load/http-post.js';
import { percentile, runLoad } from './load/load-loop.js';
import { startStack, TOKENS } from './support/stack.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    /** Run only the first N workloads (1: summaries only, for before/after comparisons). */
    workloads: { type: 'string', default: '3' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
// Recent enough to stay inside the 90-day window (older events would be swept by the TTL index).
const base = Math.floor(Date.now() / 1000) - 3600;

interface Workload {
  name: string;
  path: string;
  body: (n: number) => unknown;
}

const workloads: Workload[] = [
  {
    name: 'summaries only (POST /events/summaries)',
    path: '/events/summaries',
    body: (n) => ({
      user_id: `user-${n % 1000}`,
      event_summaries: { event_name: `event-${n % 5}`, count: 1, first: base - n, last: base - n },
    }),
  },
  {
    name: 'raw events (POST /events)',
    path: '/events',
    body: (n) => ({ user_id: `user-${n % 1000}`, event_name: `event-${n % 5}`, created_at: base - n }),
  },
  {
    name: 'raw events + 3 metadata keys',
    path: '/events',
    body: (n) => ({
      user_id: `user-${n % 1000}`,
      event_name: `event-${n % 5}`,
      created_at: base - n,
      metadata: { plan: 'pro', source: 'bench', amount: n },
    }),
  },
];

async function run(workload: Workload) {
  const stack = await startStack({ ingresses: 1, workers: 0, pausableMongo: true, env: { BACKLOG_MAX_JOBS: '10000000' } });
  try {
    const poster = keepAlivePoster(stack.ingresses[0]!.url, concurrency);
    const headers = { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' };
    const stats = await runLoad({
      concurrency,
      durationMs: seconds * 1000,
      send: (n) => poster.post(workload.path, JSON.stringify(workload.body(n)), headers),
    });
    poster.close();
    const acked = (stats.byStatus.get(200) ?? 0) + (stats.byStatus.get(202) ?? 0);
    // Not acknowledged, yet possibly queued: refused after the enqueue deadline, or no answer.
    const unsure = (stats.byStatus.get(503) ?? 0) + (stats.byStatus.get('network-error') ?? 0);
    const refused = [...stats.byStatus].filter(([status]) => status !== 200 && status !== 202);
    await stack.addWorker();
    const drainMs = await waitForDrain(stack.redis.url, stack.env.QUEUE_PREFIX!, { timeoutMs: 300_000 });
    const db = stack.db.db;
    const queue = new Queue(queueName('summaries'), { connection: consumerConnection(stack.redis.url), prefix: stack.env.QUEUE_PREFIX! });
    const jobs = await queue.getJobs(['completed'], 0, -1);
    await queue.close();
    const upserts = jobs.reduce((sum, job) => sum + Number((job.returnvalue as { upserts?: number } | null)?.upserts ?? 0), 0);
    const ledger = await db.collection(COLLECTIONS.ingestLedger).countDocuments();
    const raw = await db.collection(COLLECTIONS.rawEvents).find().toArray();
    const rawBytes = raw.reduce((sum, doc) => sum + BSON.calculateObjectSize(doc), 0);
    return {
      workload: workload.name,
      'acked req/s': Math.round((acked / stats.elapsedMs) * 1000),
      'p50 / p99 ms': `${percentile(stats.latenciesMs, 50).toFixed(1)} / ${percentile(stats.latenciesMs, 99).toFixed(1)}`,
      'worker events/s': Math.round((acked / drainMs) * 1000),
      'Mongo docs written/event': ((ledger + upserts + raw.length) / Math.max(acked, 1)).toFixed(2),
      'raw_events bytes/event': raw.length === 0 ? 0 : Math.round(rawBytes / raw.length),
      acked,
      'not acked': refused.length === 0 ? '-' : refused.map(([status, n]) => `${n} × ${status}`).join(', '),
      unsure,
      counted: await storedTotal(stack.db),
      listed: raw.length,
      jobs: jobs.length,
    };
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  console.log(`bench:events: ${seconds}s of load per workload from ${concurrency} clients; 1 ingress alone, then 1 worker draining`);
  const rows = [];
  for (const workload of workloads.slice(0, Number(values.workloads))) {
    process.stdout.write(`  ${workload.name}…\n`);
    rows.push(await run(workload));
  }
  console.table(rows);
  const [summaries, events] = rows;
  if (summaries && events) {
    console.log(
      `ratio raw events / summaries only: ingress ${(events['acked req/s'] / summaries['acked req/s']).toFixed(2)}x, worker ${(events['worker events/s'] / summaries['worker events/s']).toFixed(2)}x`,
    );
  }
  const problems = rows.flatMap((r) => {
    const found: string[] = [];
    if (r.acked === 0) found.push('nothing acknowledged');
    if (r.counted < r.acked) found.push(`${r.acked - r.counted} acknowledged events not counted`);
    if (r.counted > r.acked + r.unsure) found.push(`${r.counted - r.acked - r.unsure} events counted twice`);
    if (r.workload.startsWith('raw') && r.listed !== r.counted) found.push(`${r.listed} listed but ${r.counted} counted`);
    return found.map(
      (problem) => `${r.workload}: ${problem} (acked ${r.acked}, unsure ${r.unsure}, counted ${r.counted}, listed ${r.listed})`,
    );
  });
  if (problems.length > 0) {
    console.error(`MISMATCH: ${problems.join('; ')}`);
    process.exit(1);
  }
  const late = rows.reduce((sum, r) => sum + r.counted - r.acked, 0);
  console.log(
    `every acknowledged event was counted once, and every raw event listed once${late > 0 ? ` (${late} refused or unanswered also queued, each once)` : ''}`,
  );
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
