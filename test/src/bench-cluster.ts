/**
 * `npm run bench:cluster`: the cluster scenario of `npm run bench -- --cluster` alone — the
 * ingress on a local 3+3 Redis Cluster with 1 and 3 queue shards, with and without WAIT 1, side
 * by side in one run. Prints the table and writes .tally/bench/cluster.json.
 *
 *   npm run bench:cluster -- [--seconds 10] [--connections 64] [--smoke]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@tally/testing';
import { benchCluster, clusterReportProblems, printClusterReport } from './bench/cluster-scenario.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    out: { type: 'string', default: join(repoRoot(), '.tally', 'bench') },
    smoke: { type: 'boolean', default: false },
  },
});

const report = await benchCluster({
  seconds: values.smoke ? 2 : Number(values.seconds),
  connections: Number(values.connections),
  ...(values.smoke ? { passes: 1, amount: 2000 } : {}),
});
printClusterReport(report);
mkdirSync(values.out, { recursive: true });
const file = join(values.out, `cluster${values.smoke ? '-smoke' : ''}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), command: process.argv.slice(2).join(' '), ...report }, null, 2)}\n`,
);
console.log(`\nreport: ${file}`);
const problems = clusterReportProblems(report);
if (problems.length > 0) console.error(`INCOMPLETE REPORT:\n  ${problems.join('\n  ')}`);
process.exit(problems.length > 0 ? 1 : 0);
