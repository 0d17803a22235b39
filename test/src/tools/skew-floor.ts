/**
 * The floor of MongoDB writes per summary for the bench's workloads: one upsert per distinct
 * (user, event) in a transaction, whatever the code does. Draws `n` summaries as the load
 * generator does and prints distinct pairs per summary, for transactions of several sizes:
 *
 *   node --import tsx test/src/tools/skew-floor.ts [skewed|uniform]
 */
import { bodyGenerator, type Workload } from '../load/workload.js';

const workload = (process.argv[2] ?? 'skewed') as Workload;
const next = bodyGenerator(workload);
const ROUNDS = 20;
console.log(`${workload}: summaries per transaction → upserts per summary (mean of ${ROUNDS} draws)`);
for (const n of [10, 30, 100, 300, 1000, 3000, 10_000, 30_000]) {
  let distinct = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const pairs = new Set<string>();
    for (let i = 0; i < n; i += 1) {
      const body = JSON.parse(next()) as { user_id: string; event_summaries: { event_name: string } };
      pairs.add(`${body.user_id}\u0000${body.event_summaries.event_name}`);
    }
    distinct += pairs.size;
  }
  console.log(`  ${String(n).padStart(6)} → ${(distinct / ROUNDS / n).toFixed(3)}`);
}
