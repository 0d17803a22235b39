/**
 * Adds up the JSON reports each workspace's vitest run wrote (`.vitest-results.json`) and prints
 * one closing line, `Tests: N passed, N failed`, for the whole monorepo. `--clean` removes old
 * reports before a run, so a workspace that did not run cannot count.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const REPORT = '.vitest-results.json';
const workspaces = ['apps', 'packages']
  .flatMap((dir) => readdirSync(join(root, dir)).map((name) => join(root, dir, name)))
  .concat(join(root, 'test'))
  .filter((dir) => existsSync(join(dir, 'package.json')));

if (process.argv.includes('--clean')) {
  for (const ws of workspaces) rmSync(join(ws, REPORT), { force: true });
  process.exit(0);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const ws of workspaces) {
  const file = join(ws, REPORT);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`  ${ws.slice(root.length).padEnd(26)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
console.log(`Tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
