/**
 * `npm run bench:import`: `tally import` against hand-made batched requests, side by side on
 * the same stack in one run. Both send the same file as the same requests (one user's run of
 * lines, up to 1,000 summaries) at the same concurrency to one ingress with no worker running
 * (as `npm run bench` measures the ingress), so the ratio says what the importer itself costs:
 * reading, parsing and checking lines, Idempotency-Keys, progress. The hand-made client
 * serialises every body before its clock starts; it runs once without Idempotency-Keys and once
 * with one per request, as the import sends.
 *
 *   npm run bench:import -- [--lines 100000] [--events-per-user 100] [--concurrency 8] [--rounds 2]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { keepAlivePoster } from './load/http-post.js';
import { startStack, TOKENS } from './support/stack.js';
import { writeSummaryFile } from './support/summary-file.js';
import { importReport, runTally } from './support/tally-cli.js';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '100000' },
    'events-per-user': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
  },
});
const lines = Number(values.lines);
const eventsPerUser = Number(values['events-per-user']);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);

const BATCHED = 'batched summaries/s';
const KEYED = 'batched + keys summaries/s';
const IMPORT = 'tally import summaries/s';

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

async function batchedRequests(url: string, file: string, keyPrefix: string | null): Promise<number> {
  const { bodies, summaries } = requestBodies(file);
  const poster = keepAlivePoster(url, concurrency);
  const headers = { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json' };
  let next = 0;
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
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  poster.close();
  return (summaries / elapsed) * 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-import-bench-'));
  const stack = await startStack({ ingresses: 1, workers: 0, pausableMongo: true, env: { BACKLOG_MAX_JOBS: '10000000' } });
  console.log(
    `bench:import: ${rounds} rounds of ${lines.toLocaleString('en-US')} summaries (${eventsPerUser} per user, bad lines: none), concurrency ${concurrency}, 1 ingress, no worker`,
  );
  const rows: Record<string, number | string>[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      // A file per round: the same file imported twice would be answered from its Idempotency-Keys.
      const file = join(dir, `round-${round}.ndjson`);
      await writeSummaryFile(file, { lines, eventsPerUser, badEvery: Number.MAX_SAFE_INTEGER, userPrefix: `r${round}-` });
      // Rotate which goes first, so none always meets a fuller Redis.
      const measure = [
        () => batchedRequests(stack.ingresses[0]!.url, file, null),
        () => batchedRequests(stack.ingresses[0]!.url, file, `bench-r${round}`),
        async () => {
          const run = await runTally([
            'import',
            file,
            '--url',
            stack.ingresses[0]!.url,
            '--token',
            TOKENS.beta,
            '--concurrency',
            String(concurrency),
            '--json',
          ]);
          const report = importReport(run.lines);
          if (run.code !== 0 || report.accepted !== lines) throw new Error(`import failed: ${run.lines.slice(-5).join('\n')}`);
          return report.summariesPerSecond;
        },
      ];
      const rates: number[] = [];
      for (let k = 0; k < measure.length; k++) {
        const i = (k + round - 1) % measure.length;
        rates[i] = await measure[i]!();
      }
      const [batched, keyed, imported] = rates as [number, number, number];
      rows.push({
        round,
        [BATCHED]: Math.round(batched),
        [KEYED]: Math.round(keyed),
        [IMPORT]: Math.round(imported),
        'import / batched': (imported / batched).toFixed(2),
        'import / keyed': (imported / keyed).toFixed(2),
      });
    }
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(rows);
  const sum = (key: string) => rows.reduce((a, r) => a + Number(r[key]), 0);
  console.log(
    `ratio tally import / batched requests, all rounds: ${(sum(IMPORT) / sum(BATCHED)).toFixed(2)}x without keys, ${(sum(IMPORT) / sum(KEYED)).toFixed(2)}x with Idempotency-Keys`,
  );
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
