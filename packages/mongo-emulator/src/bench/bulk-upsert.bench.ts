/**
 * Bulk-upsert throughput through the official driver, the shape of Tally's worker writes:
 * one `bulkWrite` of N `updateOne` upserts (ordered: false) with $inc/$min/$max/$setOnInsert on
 * a unique compound key. Prints upserts/s for a first pass (every upsert inserts) and a second
 * pass (every upsert updates).
 *
 *   node --conditions=tally-source --import tsx packages/mongo-emulator/src/bench/bulk-upsert.bench.ts [--n 50000] [--in-process] [--uri mongodb://…]
 *
 * By default the emulator runs as a child process (as tests and `npm start` run it); with
 * --in-process it shares this process; with --uri (or MONGO_URL) the bench targets that server.
 */

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { MongoClient } from 'mongodb';
import { startMongoEmulator } from '../index.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '50000' },
    'in-process': { type: 'boolean', default: false },
    uri: { type: 'string' },
  },
});
const n = Number(values.n);

async function startTarget(): Promise<{ uri: string; stop: () => Promise<void>; label: string }> {
  const external = values.uri ?? process.env.MONGO_URL;
  if (external) return { uri: external, stop: async () => {}, label: 'external server' };
  if (values['in-process']) {
    const emu = await startMongoEmulator();
    return { uri: emu.uri, stop: () => emu.close(), label: 'emulator, in-process' };
  }
  const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--conditions=tally-source', '--import', 'tsx', cli, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (mongodb:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}`)));
  });
  return {
    uri,
    label: 'emulator, child process',
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

function operations(count: number, pass: number): AnyBulkWriteOperation<Document>[] {
  const ops: AnyBulkWriteOperation<Document>[] = [];
  const base = Date.UTC(2024, 0, 1);
  for (let i = 0; i < count; i++) {
    const at = new Date(base + i * 1000 + pass);
    ops.push({
      updateOne: {
        filter: { workspace_id: 'ws_bench', user_id: `user_${i}`, event_name: 'page_viewed' },
        update: {
          $inc: { count: 1 },
          $min: { first: at },
          $max: { last: at },
          $setOnInsert: { created_at: at },
        },
        upsert: true,
      },
    });
  }
  return ops;
}

const target = await startTarget();
const client = new MongoClient(target.uri);
try {
  await client.connect();
  const db = client.db(`bench_${process.pid}`);
  const coll = db.collection('event_summaries');
  await coll.createIndex({ workspace_id: 1, user_id: 1, event_name: 1 }, { unique: true });
  for (const pass of [1, 2]) {
    const ops = operations(n, pass);
    const started = performance.now();
    const result = await coll.bulkWrite(ops, { ordered: false });
    const seconds = (performance.now() - started) / 1000;
    const applied = result.upsertedCount + result.modifiedCount;
    if (applied !== n) throw new Error(`expected ${n} upserts, got ${applied}`);
    const kind = pass === 1 ? 'inserting' : 'updating';
    console.log(`${target.label}: ${n} upserts (${kind}) in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} upserts/s`);
  }
  await db.dropDatabase();
} finally {
  await client.close();
  await target.stop();
}
