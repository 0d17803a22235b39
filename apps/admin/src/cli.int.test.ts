import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from '@tally/queue';
import { freePort, type RedisServer, startRedis, stopAll, uniqueName } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetter, openQueue, validPayload } from '../test/dead-letter.fixture.js';
import { runTallyCli } from '../test/tally-cli.fixture.js';

let redis: RedisServer;
let queue: Queue;
let prefix: string;

/** The CLI as a process, against this file's servers. */
const tally = (args: string[], env: Record<string, string> = {}) =>
  runTallyCli(args, { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, ...env });

beforeAll(async () => {
  redis = await startRedis({ appendOnly: false });
  prefix = uniqueName('cli');
  queue = openQueue(redis.url, prefix);
});
afterAll(async () => {
  await queue?.close();
  await stopAll();
});

describe('npm run tally -- dlq …', { timeout: 60_000 }, () => {
  it('lists, retries and drops failed jobs of the deployment named by REDIS_URL and QUEUE_PREFIX', async () => {
    const [first, second] = await deadLetter(queue, redis.url, [validPayload(2, 5), { v: 1 }]);

    const listed = await tally(['dlq', 'list', '--json']);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const body = JSON.parse(listed.stdout);
    expect(body.total).toBe(2);
    expect(body.jobs.map((j: { id: string }) => j.id).sort()).toEqual([String(first?.id), String(second?.id)].sort());

    const table = await tally(['dlq', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+AGE\s+FAILED\s+ATTEMPTS\s+REQUESTS\s+SUMMARIES\s+REASON$/m);
    expect(table.stdout).toMatch(/2 failed jobs$/);

    const retried = await tally(['dlq', 'retry', '--id', String(first?.id)]);
    expect(retried).toMatchObject({ code: 0, stdout: 'retried 1 failed job' });
    expect(await queue.getJobState(String(first?.id))).toBe('waiting');

    const dropped = await tally(['dlq', 'drop', '--all', '--yes', '--json']);
    expect(dropped.code).toBe(0);
    expect(JSON.parse(dropped.stdout)).toEqual({ dropped: [String(second?.id)], problems: [] });
    expect(await queue.getFailedCount()).toBe(0);
    expect(await queue.getJobState(String(first?.id))).toBe('waiting');
  });

  it('exits 1 naming every job it could not handle', async () => {
    const res = await tally(['dlq', 'retry', '--id', 'nope']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('job nope: no such job');
    expect(res.stdout).toBe('retried 0 failed jobs; 1 could not be retried');
  });

  it('exits 2 on a usage error with the synopsis and the error last, and asks for --yes before dropping everything', async () => {
    const res = await tally(['dlq', 'drop', '--all']);
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')).toEqual([
      'usage: npm run tally -- dlq drop (--id <job-id>... | --all --yes) [--json]   (--help for details)',
      'tally: dlq drop --all deletes every failed job for good: add --yes to confirm',
    ]);
    const help = await tally(['dlq', 'retry', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('re-drive every job');
  });

  it('exits 2 with two short lines when no command is given', async () => {
    const res = await tally([]);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(res.stderr.split('\n')).toHaveLength(2);
    expect(res.stderr).toMatch(/tally: missing command: dlq, tokens, import, export or migrate$/);
  });

  it('names an input it cannot read in one line, exit 1: a missing file, a directory, for import and migrate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
    try {
      const missing = join(dir, 'history.ndjson');
      const imported = await tally(['import', missing, '--token', 't']);
      expect(imported).toMatchObject({ code: 1, stdout: '', stderr: `tally: cannot read ${missing} (ENOENT: no such file or directory)` });
      const directory = await tally(['import', dir, '--token', 't']);
      expect(directory).toMatchObject({ code: 1, stderr: `tally: cannot read ${dir} (a directory, not a file)` });
      const migrated = await tally(['migrate', '--from', 'http://127.0.0.1:9', '--from-token', 'f', '--token', 't', '--users', missing]);
      expect(migrated).toMatchObject({ code: 1, stderr: `tally: cannot read ${missing} (ENOENT: no such file or directory)` });
      // Nothing was written beside the input: no rejected file, no checkpoint.
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops after --retry-deadline when the API stays unreachable, naming the lines and why, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
    try {
      const line = (user: string) => `{"user_id":"${user}","event_name":"e","count":1,"first":1700000000,"last":1700000000}\n`;
      const input = join(dir, 'history.ndjson');
      const url = `http://127.0.0.1:${await freePort()}`;
      const stopped = (file: string) =>
        tally(['import', file, '--url', url, '--token', 't', '--retry-deadline', '1', '--concurrency', '1']);

      writeFileSync(input, line('ann') + line('ann') + line('bob'));
      const res = await stopped(input);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(
        /^import: stopped \(lines 1–2 were refused for \d+ s \(\d+ tries, last: connect ECONNREFUSED 127\.0\.0\.1:\d+\)\) in .* 0 summaries accepted, .*\nrun the same command again to resume/m,
      );

      writeFileSync(input, line('cid'));
      // One line, one refusal or more: the report counts in the singular where it is one.
      expect((await stopped(input)).stdout).toMatch(
        /^import: stopped \(line 1 was refused for \d+ s .* — 1 line read, 0 summaries accepted, /m,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps --url's path, and stops at the first 404 (no Tally API at that URL) instead of rejecting every line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
    const paths: string[] = [];
    // A host whose root is something else (a web server, another service): Tally is under /tally/.
    const host = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      req.resume();
      req.on('end', () =>
        req.url === '/tally/events/summaries' ? res.end() : res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'),
      );
    });
    host.listen(0, '127.0.0.1');
    await once(host, 'listening');
    try {
      const line = (user: string) => `{"user_id":"${user}","event_name":"e","count":1,"first":1700000000,"last":1700000000}\n`;
      const input = join(dir, 'history.ndjson');
      writeFileSync(input, line('ann') + line('bob') + line('cid'));
      const root = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;

      const behindPrefix = await tally(['import', input, '--url', `${root}/tally`, '--token', 't', '--concurrency', '1']);
      expect(behindPrefix.code, behindPrefix.stdout + behindPrefix.stderr).toBe(0);
      expect(paths).toEqual(['/tally/events/summaries', '/tally/events/summaries', '/tally/events/summaries']);

      paths.length = 0;
      const wrong = await tally(['import', input, '--url', root, '--token', 't', '--concurrency', '1']);
      expect(wrong.code, wrong.stdout + wrong.stderr).toBe(1);
      expect(wrong.stdout).toContain(`import: stopped (no Tally API at ${root}: POST ${root}/events/summaries answered 404)`);
      expect(wrong.stdout).toMatch(/^check --url \(the API's base URL\), then run the command again/m);
      expect(paths).toEqual(['/events/summaries']);
    } finally {
      host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a rejected-lines path it cannot write before sending anything: one line, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
    let requests = 0;
    const api = http.createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.end());
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    try {
      const input = join(dir, 'history.ndjson');
      writeFileSync(input, '{"user_id":"u","event_name":"e","count":1,"first":1700000000,"last":1700000000}\n');
      const rejected = join(dir, 'no-such-dir', 'rejected.ndjson');
      const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
      const res = await tally(['import', input, '--url', url, '--token', 't', '--rejected', rejected]);
      expect(res).toMatchObject({
        code: 1,
        stderr: `tally: cannot write rejected lines to ${rejected} (ENOENT: no such file or directory); see --rejected`,
      });
      expect(requests).toBe(0);
    } finally {
      api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with a clear message when Redis is unreachable, and 78 on a bad environment', async () => {
    const unreachable = await tally(['dlq', 'list'], { REDIS_URL: `redis://:secret@127.0.0.1:${await freePort()}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^tally: cannot reach Redis at 127\.0\.0\.1:\d+ .*check REDIS_URL$/);
    expect(unreachable.stderr).not.toContain('secret');
    const invalid = await tally(['dlq', 'list'], { QUEUE_PREFIX: 'has:colon' });
    expect(invalid.code).toBe(78);
    expect(invalid.stderr).toContain('QUEUE_PREFIX');
    const both = await tally(['dlq', 'list'], { REDIS_CLUSTER_NODES: '127.0.0.1:7000' });
    expect(both.code).toBe(78);
    expect(both.stderr).toContain('set REDIS_URL or REDIS_CLUSTER_NODES, not both');
  });
});
