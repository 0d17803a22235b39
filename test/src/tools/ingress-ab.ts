/**
 * Ingress builds or settings side by side: each variant is started as built (`node ENTRY`) on one
 * shared Redis (AOF fsync always) and emulator, warmed, loaded with wrk (autocannon when wrk is
 * missing) and stopped, in turn, round after round, the order reversed every other round, so a
 * noisy machine disturbs all variants alike. Reports req/s, p50, the ingress's CPU per request
 * (from /proc, steadier than rates on a shared machine) and its peak RSS.
 *
 *   node --conditions=tally-source --import tsx test/src/tools/ingress-ab.ts \
 *     [--connections 256] [--seconds 6] [--rounds 3] [--summaries 1] [--keyed] \
 *     'before=/path/to/old/apps/ingress/dist/main.js' 'after=apps/ingress/dist/main.js' \
 *     'quiet=apps/ingress/dist/main.js REQUEST_LOG_LEVEL=silent'
 *
 * `--summaries N` sends batches of N summaries per request (one user's) instead of one, and
 * `--keyed` gives every request an Idempotency-Key of its own, as `tally import` does (both need
 * wrk); the setting `KEYED=1` does so for one variant only, to measure what keys cost.
 * A variant is NAME=ENTRY followed by NAME=VALUE settings for its environment; build an older
 * commit in a git worktree to compare against it. `apps/ingress/dist/testing/http-layer-only.main.js`
 * is the ingress's HTTP layer with nothing queued behind it: beside the real ingress, it splits
 * the CPU per request between the two. `apps/ingress/dist/testing/http-layer-ladder.main.js` with
 * `LADDER_RUNG=0` … `5` builds that layer up part by part, from bare Fastify to `buildApp`, and
 * `apps/ingress/dist/testing/http-node-only.main.js` does the ingress's per-request work on node:http
 * with no Fastify at all.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess, waitFor, waitForLog } from '@tally/testing';
import { generateLoad, type LoadPlan } from '../load/load-generator.js';
import { cpuSeconds } from '../load/process-stats.js';
import { startStack, TOKENS } from '../support/stack.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    connections: { type: 'string', default: '256' },
    seconds: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '3' },
    summaries: { type: 'string', default: '1' },
    keyed: { type: 'boolean', default: false },
  },
});
if (positionals.length === 0) {
  console.error("usage: ingress-ab.ts [--connections N] [--seconds S] [--rounds R] [--summaries N] 'NAME=ENTRY [SETTING=VALUE …]' …");
  process.exit(2);
}
const variants = positionals.map((spec) => {
  const [head, ...settings] = spec.split(/\s+/);
  const [name, entry] = head!.split('=') as [string, string];
  return {
    name,
    entry: resolve(entry),
    env: Object.fromEntries(settings.map((s) => [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)])),
  };
});

const stack = await startStack({});
const rows: {
  variant: string;
  round: number;
  'req/s': number;
  'summaries/s': number;
  'p50 ms': number;
  'CPU µs/request': number;
  'peak RSS MB': number;
  'not 200': number;
}[] = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const variant of round % 2 === 1 ? variants : [...variants].reverse()) {
    const proc = await startProcess({
      name: variant.name,
      command: process.execPath,
      args: [variant.entry],
      env: {
        ...process.env,
        ...stack.env,
        PORT: '0',
        LOG_LEVEL: 'info',
        BACKLOG_MAX_JOBS: '100000000',
        BACKLOG_MAX_SUMMARIES: '100000000',
        ...variant.env,
      },
      maxLines: 50,
    });
    const url = String((await waitForLog(proc, 'ingress listening')).url);
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, {
      timeoutMs: 30_000,
      message: `${variant.name} never became ready`,
    });
    const plan = (durationSeconds: number): LoadPlan => ({
      url,
      path: '/events/summaries',
      headers: { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' },
      connections: Number(values.connections),
      durationSeconds,
      workload: 'uniform',
      summariesPerRequest: Number(values.summaries),
      keyed: values.keyed || variant.env.KEYED === '1',
    });
    await generateLoad(plan(2), undefined, 'auto'); // warm-up: JIT, connections, Redis scripts
    const cpuBefore = await cpuSeconds(proc.pid);
    const load = await generateLoad(plan(Number(values.seconds)), undefined, 'auto');
    const cpu = (await cpuSeconds(proc.pid)) - cpuBefore;
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1]);
    const row = {
      variant: variant.name,
      round,
      'req/s': Math.round((load.requests / load.elapsedMs) * 1000),
      'summaries/s': Math.round((load.requests / load.elapsedMs) * 1000 * Number(values.summaries)),
      'p50 ms': Number(load.p50Ms.toFixed(1)),
      'CPU µs/request': Math.round((cpu / Math.max(load.requests, 1)) * 1e6),
      'peak RSS MB': Math.round(peakKb / 1024),
      'not 200': load.requests - (load.byStatus['200'] ?? 0) + load.errors,
    };
    rows.push(row);
    console.log(
      `round ${round} ${variant.name}: ${row['req/s']} req/s, p50 ${row['p50 ms']} ms, ${row['CPU µs/request']} µs CPU/request, peak RSS ${row['peak RSS MB']} MB`,
    );
    // SIGTERM when profiling (the profile is written at exit), SIGKILL otherwise: quicker.
    await proc.kill(variant.env.TALLY_CPU_PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
  }
}
console.table(rows);
await stack.stop();
process.exit(0);
