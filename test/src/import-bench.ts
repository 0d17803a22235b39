/**
 * `npm run bench:import`: `tally import` against hand-made batched requests, side by side on
 * the same stack in one run. Both send the same file as the same requests (one user's run of
 * lines, up to 1,000 summaries) at the same concurrency to one ingress with no worker running
 * (as `npm run bench` measures the ingress), so the ratio says what the importer itself costs:
 * reading, parsing and checking lines, Idempotency-Keys, progress. The hand-made client
 * serialises every body before its clock starts; it runs once without Idempotency-Keys and once
 * with one per request, as the import sends. Before round 1 the ingress is warmed, unmeasured,
 * with 50,000 summaries sent both hand-made ways.
 *
 * Beside the rates it reports the CPU each way cost, per 1,000 summaries: the ingress's and
 * Redis's (from /proc; Redis shares the cores, and a key's commands cost it too) and the
 * client's (this process for the hand-made client, the CLI child for the import). On a shared
 * machine CPU time is steadier than wall time, and says which side the difference is on; and
 * the jobs the ingress queued per 1,000 summaries (how its group commit batched each way's
 * requests; each job is one BullMQ add). `--profile DIR` writes the ingress's and the CLI's CPU
 * profiles there (read them with test/src/tools/cpu-profile-top.ts); `--ways` runs only some of
 * the three.
 *
 *   npm run bench:import -- [--lines 100000] [--events-per-user 100] [--concurrency 8] [--rounds 3]
 *                           [--ways batched,keyed,import] [--profile DIR] [--cli source|dist|PATH] [--pin]
 *
 * `--pin` puts the ingress and Redis on one CPU and every client (this process, where the hand-made
 * ones run, and the CLI it starts) on another (`taskset`, Linux): as if the client ran on a machine
 * of its own, so the ratio says what the server side costs each way, not whose client takes more
 * of the cores they would otherwise share.
 *
 * `--cli source` (the default) runs the CLI as `npm run tally` does, through tsx; `--cli dist`
 * runs the compiled one (`npm run build` first); `--cli PATH` another build's cli.js. The
 * import's rate is its own report, timed from its first read; beside it, the rate over the
 * whole process, start-up included.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { consumerConnection, Queue, queueName } from '@tally/queue';
import { cpuProfileEnv } from './load/cpu-profile-env.js';
import { keepAlivePoster } from './load/http-post.js';
import { cpuSeconds } from './load/process-stats.js';
import { startStack, TOKENS } from './support/stack.js';
import { writeSummaryFile } from './support/summary-file.js';
import { importReport, runTally } from './support/tally-cli.js';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '100000' },
    'events-per-user': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    ways: { type: 'string', default: 'batched,keyed,import' },
    profile: { type: 'string' },
    cli: { type: 'string', default: 'source' },
    pin: { type: 'boolean', default: false },
  },
});
const lines = Number(values.lines);
const eventsPerUser = Number(values['events-per-user']);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const ways = new Set(values.ways.split(','));
const profileEnv = values.profile ? cpuProfileEnv(values.profile) : {};
const cli = values.cli;

/** Summaries sent each hand-made way, unmeasured, before round 1. */
const WARM_UP_LINES = 50_000;

const BATCHED = 'batched summaries/s';
const KEYED = 'batched + keys summaries/s';
const IMPORT = 'tally import summaries/s';
const IMPORT_WALL = 'import, whole process, summaries/s';

/** The requests of a file as a script would build them: consecutive lines of one user, ≤ 1,000. */
function requestBodies(file: string): { bodies: string[]; summaries: number } {
  const bodies: string[] = [];
  let user: string | null = null;
  let items: unknown[] = [];
  const flush = () => {
    if (items.length > 0) bodies.push(JSON.stringify({ user_id: user, event_summaries: items }));
    items = [];
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const { user_id, ...item } = JSON.parse(line) as { user_id: string };
    if (user_id !== user || items.length === 1000) flush();
    user = user_id;
    items.push(item);
  }
  flush();
  return { bodies, summaries: lines };
}

/** What one way of sending cost: its rate, and CPU seconds on each side. */
interface Measured {
  rate: number;
  /** The import only: summaries over the CLI process's life, start-up and exit included. */
  wallRate?: number;
  clientCpu: number;
  /** Tries the ingress refused for now (429, 503, 409) and that were sent again. */
  refusals: number;
}

/** CPU seconds of this process's children that have exited (cutime + cstime, Linux /proc). */
function exitedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** The CPUs this process may run on (Linux's Cpus_allowed_list: `0-1`, `4,6-7`), lowest first. */
function allowedCpus(): number[] {
  const list = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  return list.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
  });
}

async function batchedRequests(url: string, file: string, keyPrefix: string | null): Promise<Measured> {
  const { bodies, summaries } = requestBodies(file);
  const poster = keepAlivePoster(url, concurrency);
  const headers = { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' };
  let next = 0;
  let refusals = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const index = next++;
        const body = bodies[index]!;
        const keyed = keyPrefix === null ? headers : { ...headers, 'idempotency-key': `${keyPrefix}-${index}` };
        for (;;) {
          const status = await poster.post('/events/summaries', body, keyed);
          if (status === 200) break;
          if (status !== 503 && status !== 429) throw new Error(`batched request answered ${status}`);
          refusals++;
          // Refused for now: wait as a polite client would, rather than spin on both cores.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  poster.close();
  return { rate: (summaries / elapsed) * 1000, clientCpu: (cpu.user + cpu.system) / 1e6, refusals };
}

async function tallyImport(url: string, file: string): Promise<Measured> {
  const before = exitedChildrenCpuSeconds();
  const started = performance.now();
  const run = await runTally(
    ['import', file, '--url', url, '--token', TOKENS.beta, '--concurrency', String(concurrency), '--json'],
    profileEnv,
    cli,
  );
  const wall = performance.now() - started;
  const report = importReport(run.lines);
  if (run.code !== 0 || report.accepted !== lines) throw new Error(`import failed: ${run.lines.slice(-5).join('\n')}`);
  // The rate is the CLI's own report, timed from when it starts reading (as a user reads it);
  // wallRate and the CPU are the whole process, start-up included (as `time` would show).
  return {
    rate: report.summariesPerSecond,
    wallRate: (lines / wall) * 1000,
    clientCpu: exitedChildrenCpuSeconds() - before,
    refusals: report.refusals,
  };
}

const WAYS = [
  { name: 'batched', label: BATCHED },
  { name: 'keyed', label: KEYED },
  { name: 'import', label: IMPORT },
] as const;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-import-bench-'));
  // No worker drains the queue, so the backlog caps are lifted: every round's summaries stay.
  const stack = await startStack({
    ingresses: 1,
    workers: 0,
    pausableMongo: true,
    env: { BACKLOG_MAX_JOBS: '1000000000', BACKLOG_MAX_SUMMARIES: '1000000000', ...profileEnv },
  });
  const ingress = stack.ingresses[0]!;
  if (values.pin) {
    const [server, client] = allowedCpus();
    if (server === undefined || client === undefined) throw new Error('--pin needs two CPUs this process may run on');
    // Every thread of each (-a); the CLI, started later by this process, inherits the client's CPU.
    const pin = (cpu: number, pid: number) => execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    pin(server, ingress.app.pid);
    pin(server, stack.redis.pid);
    pin(client, process.pid);
  }
  // No worker runs, so every job a way queued is still waiting: their count says how the group
  // commit batched that way's requests (each job is one BullMQ add on the ingress).
  const queue = new Queue(queueName('summaries'), { connection: consumerConnection(stack.redis.url), prefix: stack.env.QUEUE_PREFIX! });
  const chosen = WAYS.filter((w) => ways.has(w.name));
  console.log(
    `bench:import: ${rounds} rounds of ${lines.toLocaleString('en-US')} summaries (${eventsPerUser} per user, bad lines: none), concurrency ${concurrency}, 1 ingress (warmed), no worker, ` +
      `CLI ${cli === 'source' ? 'from source (npm run tally: tsx)' : cli === 'dist' ? 'compiled (node apps/admin/dist/cli.js)' : cli}, ` +
      `${values.pin ? 'pinned (ingress and Redis on one CPU, clients on another), ' : ''}load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const rows: Record<string, number | string>[] = [];
  const cpuRows: Record<string, number | string>[] = [];
  try {
    // The ingress's first requests run cold (JIT, BullMQ's scripts, connections): unwarmed, the
    // way measured first in round 1 paid for it, and read about 1.5x slower than in later rounds.
    const warm = join(dir, 'warm-up.ndjson');
    await writeSummaryFile(warm, {
      lines: Math.min(lines, WARM_UP_LINES),
      eventsPerUser,
      badEvery: Number.MAX_SAFE_INTEGER,
      userPrefix: 'warm-',
    });
    await batchedRequests(ingress.url, warm, null);
    await batchedRequests(ingress.url, warm, 'warm-up');
    for (let round = 1; round <= rounds; round++) {
      // A file per round: the same file imported twice would be answered from its Idempotency-Keys.
      const file = join(dir, `round-${round}.ndjson`);
      await writeSummaryFile(file, { lines, eventsPerUser, badEvery: Number.MAX_SAFE_INTEGER, userPrefix: `r${round}-` });
      const measure: Record<(typeof WAYS)[number]['name'], () => Promise<Measured>> = {
        batched: () => batchedRequests(ingress.url, file, null),
        keyed: () => batchedRequests(ingress.url, file, `bench-r${round}`),
        import: () => tallyImport(ingress.url, file),
      };
      const results = new Map<string, Measured & { ingressCpu: number; redisCpu: number; jobs: number }>();
      // Rotate which goes first, so none always meets a fuller Redis.
      for (let k = 0; k < chosen.length; k++) {
        const way = chosen[(k + round - 1) % chosen.length]!;
        const before = await cpuSeconds(ingress.app.pid);
        const redisBefore = await cpuSeconds(stack.redis.pid);
        const jobsBefore = await queue.getWaitingCount();
        const measured = await measure[way.name]();
        const ingressCpu = (await cpuSeconds(ingress.app.pid)) - before;
        const redisCpu = (await cpuSeconds(stack.redis.pid)) - redisBefore;
        results.set(way.name, { ...measured, ingressCpu, redisCpu, jobs: (await queue.getWaitingCount()) - jobsBefore });
      }
      const row: Record<string, number | string> = { round };
      const cpuRow: Record<string, number | string> = { round };
      const perK = (seconds: number) => ((seconds * 1e6) / lines).toFixed(1);
      for (const way of chosen) {
        const r = results.get(way.name)!;
        row[way.label] = Math.round(r.rate);
        if (r.wallRate !== undefined) row[IMPORT_WALL] = Math.round(r.wallRate);
        cpuRow[`${way.name}: ingress ms/1k`] = perK(r.ingressCpu);
        cpuRow[`${way.name}: client ms/1k`] = perK(r.clientCpu);
        cpuRow[`${way.name}: redis ms/1k`] = perK(r.redisCpu);
        cpuRow[`${way.name}: refusals`] = r.refusals;
        cpuRow[`${way.name}: jobs/1k`] = ((r.jobs * 1000) / lines).toFixed(1);
      }
      const imported = results.get('import')?.rate;
      if (imported !== undefined && results.has('batched')) row['import / batched'] = (imported / results.get('batched')!.rate).toFixed(2);
      if (imported !== undefined && results.has('keyed')) row['import / keyed'] = (imported / results.get('keyed')!.rate).toFixed(2);
      const whole = results.get('import')?.wallRate;
      if (whole !== undefined && results.has('batched')) row['whole process / batched'] = (whole / results.get('batched')!.rate).toFixed(2);
      rows.push(row);
      cpuRows.push(cpuRow);
    }
  } finally {
    await queue.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(rows);
  console.log(
    'CPU per 1,000 summaries (ms): the ingress, the client sending to it, and Redis; tries refused and sent again; jobs the ingress queued per 1,000 summaries',
  );
  console.table(cpuRows);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  for (const [key, what] of [
    ['import / batched', 'tally import / batched requests'],
    ['import / keyed', 'tally import / keyed batched requests'],
    ['whole process / batched', 'tally import, whole process (start-up included) / batched requests'],
  ] as const) {
    if (rows[0]?.[key] === undefined) continue;
    const ratios = rows.map((r) => Number(r[key]));
    console.log(`ratio ${what}: median ${median(ratios).toFixed(2)}x (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
