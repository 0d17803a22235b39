import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Document } from 'mongodb';
import { BSON, MongoClient } from 'mongodb';
import { startMongoEmulator } from '../index.js';
import { readAllowance } from './known-failures.js';
import type { TestResult } from './unified-test-runner.js';
import { runTestFile } from './unified-test-runner.js';

/**
 * `npm run conformance -- <specifications>/source [--verbose] [--filter text]`
 *
 * Runs MongoDB's unified-format CRUD and transactions spec tests (crud/tests/unified and
 * transactions/tests/unified under the given folder) through the official driver against an
 * in-process emulator with test commands enabled. Prints one line per file and ends on
 * `N passed, M failed, K skipped`. Exits 1 when a test fails that known-failures.txt does not
 * list (a regression), 2 on bad usage; known failures alone exit 0.
 */
const SUITES = ['crud', 'transactions'];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { verbose: { type: 'boolean', default: false }, filter: { type: 'string' } },
});
const root = positionals[0];
if (!root) {
  process.stderr.write('usage: npm run conformance -- <mongodb/specifications checkout>/source [--verbose] [--filter text]\n');
  process.exit(2);
}
const base = existsSync(join(root, 'source', 'crud')) ? join(root, 'source') : root;
const files = SUITES.flatMap((suite) => {
  const dir = join(base, suite, 'tests', 'unified');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(dir, f))
    : [];
}).filter((f) => !values.filter || f.includes(values.filter));
if (files.length === 0) {
  process.stderr.write(`no unified test files under ${resolve(base)}/{${SUITES.join(',')}}/tests/unified\n`);
  process.exit(2);
}

const started = Date.now();
const emulator = await startMongoEmulator({ enableTestCommands: true });
const inspector = new MongoClient(emulator.uri);
const build = await inspector.db('admin').command({ buildInfo: 1 });
const server = { version: String(build.version).split('.').map(Number), topology: 'replicaset' as const };
const allowance = readAllowance();
const totals = { passed: 0, failed: 0, skipped: 0 };
const unexpected: string[] = [];
const nowPassing: string[] = [];
try {
  for (const path of files) {
    const name = relative(base, path).replace('/tests/unified/', '/');
    const file = BSON.EJSON.parse(readFileSync(path, 'utf8'), { relaxed: true }) as Document;
    const fileStarted = Date.now();
    const results: TestResult[] = await runTestFile(file, { uri: emulator.uri, inspector, server });
    const ms = Date.now() - fileStarted;
    const count = (s: TestResult['status']) => results.filter((r) => r.status === s).length;
    for (const s of ['passed', 'failed', 'skipped'] as const) totals[s] += count(s);
    process.stdout.write(
      `${name}: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped${ms >= 1000 ? ` (${(ms / 1000).toFixed(1)} s)` : ''}\n`,
    );
    for (const r of results.filter((x) => x.status === 'passed' && allowance.has(`${name}: ${x.description}`))) {
      nowPassing.push(`${name}: ${r.description}`);
    }
    for (const r of results.filter((x) => x.status === 'failed')) {
      const key = `${name}: ${r.description}`;
      const known = allowance.has(key);
      if (!known) unexpected.push(key);
      if (values.verbose || !known) process.stdout.write(`  ${known ? 'known' : 'NEW'} failure: ${r.description}\n    ${r.reason}\n`);
    }
  }
} finally {
  await inspector.close();
  await emulator.close();
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `\n${files.length} files in ${seconds} s; ${allowance.size} failures are known (packages/mongo-emulator/src/conformance/known-failures.txt)\n`,
);
if (nowPassing.length > 0) {
  process.stdout.write(
    `${nowPassing.length} listed failure(s) now pass; delete their lines:\n${nowPassing.map((k) => `  ${k}\n`).join('')}`,
  );
}
if (unexpected.length > 0)
  process.stdout.write(`${unexpected.length} failure(s) not in the known list: a regression, or add them with the reason\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(unexpected.length > 0 ? 1 : 0);
