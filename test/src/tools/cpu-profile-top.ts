/**
 * Where a process spent its CPU, from a .cpuprofile (`npm run bench:import -- --profile DIR`,
 * `npm run bench -- --profile DIR`): self time by function and by file, heaviest first.
 *
 *   node --import tsx test/src/tools/cpu-profile-top.ts DIR/1234.cpuprofile [--top 25]
 *
 * Idle time ("(idle)") is left out of the percentages: they are shares of the CPU the process
 * actually used, which is what two processes sharing two cores compete for.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
if (positionals.length !== 1) {
  console.error('usage: cpu-profile-top.ts FILE.cpuprofile [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));

const shortUrl = (url: string) => url.replace(/^.*\/node_modules\//, '~/').replace(/^file:\/\/.*?\/(apps|packages|test)\//, '$1/');
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let busy = 0;
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  if (functionName === '(idle)') continue;
  busy += us;
  const file = url === '' ? `(${functionName || 'native'})` : shortUrl(url);
  const fn = `${functionName || '(anonymous)'}  ${file}${url === '' ? '' : `:${lineNumber + 1}`}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byFile.set(file, (byFile.get(file) ?? 0) + us);
}
const top = Number(values.top);
const table = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
};
console.log(`busy: ${(busy / 1e6).toFixed(2)} s of CPU`);
table('self time by function', byFunction);
table('self time by file', byFile);
