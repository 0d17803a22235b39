import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { COLLECTIONS, EventSummariesRepository } from '@tally/store';
import { tsEntryCommand } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSummaries, drained, LINES, sorted, stored, TIMEOUT_MS, writeImportFile } from './support/import-e2e.js';
import { type Stack, startStack, TOKENS } from './support/stack.js';
import { type ExpectedSummary, writeSummaryFile } from './support/summary-file.js';
import { importReport, runTally } from './support/tally-cli.js';

/**
 * `tally import`, `export` and `migrate` against real stacks (the import's interruptions and
 * faults are in import-interruptions.e2e.test.ts).
 */
describe('tally import, export and migrate', { timeout: TIMEOUT_MS }, () => {
  let source: Stack;
  // Stacks started by single tests, stopped at the end: a stack's stop() stops every process
  // the test fixtures started, the main stack's included.
  const others: Stack[] = [];
  let dir: string;
  let file: string;
  let expected: ExpectedSummary[];
  let badLines: number[];
  const importInto = (stack: Stack, workspace: keyof typeof TOKENS, input: string, extra: string[] = []) =>
    runTally(['import', input, '--url', stack.ingresses[0]!.url, '--token', TOKENS[workspace], '--json', ...extra]);

  beforeAll(async () => {
    ({ dir, file, expected, badLines } = await writeImportFile());
    source = await startStack({ ingresses: 1, workers: 1 });
  });
  afterAll(async () => {
    for (const stack of others) await stack.stop();
    await source?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`imports ${LINES.toLocaleString('en-US')} lines with exact totals, and writes every bad line to the rejected file`, async () => {
    const run = await importInto(source, 'acme', file);
    const report = importReport(run.lines);
    expect(run.code, run.lines.join('\n')).toBe(3); // finished, some lines rejected
    expect(report).toMatchObject({ complete: true, lines: LINES, accepted: LINES - badLines.length, rejected: badLines.length });

    const rejected = readFileSync(`${file}.rejected.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.map((r: { line: number }) => r.line).sort((a: number, b: number) => a - b)).toEqual(badLines);
    const fileLines = readFileSync(file, 'utf8').split('\n');
    for (const r of rejected as { line: number; input: string; errors: { message: string }[] }[]) {
      expect(r.input).toBe(fileLines[r.line - 1]);
      expect(r.errors.length).toBeGreaterThan(0);
    }
    // The API's own words, about the line (not about an index in a batch the user never saw).
    expect(rejected.find((r: { input: string }) => r.input.includes('"count":0'))?.errors[0]).toEqual({
      code: 'parameter_invalid',
      field: 'count',
      message: 'count: must be at least 1',
    });

    await drained(source);
    expect(asSummaries(await stored(source.db, 'acme'))).toEqual(expected);
  });

  it('stops at a refused token, counting nothing, and says to fix the token before running it again', async () => {
    const input = join(dir, 'refused.ndjson');
    writeFileSync(input, '{"user_id":"refused-u","event_name":"e","count":1,"first":1700000000,"last":1700000000}\n');
    const url = source.ingresses[0]!.url;
    const imported = await runTally(['import', input, '--url', url, '--token', 'not-a-token']);
    expect(imported.code, imported.lines.join('\n')).toBe(1);
    expect(imported.lines).toContainEqual(
      expect.stringMatching(/^import: stopped \(the API refused the token \(401: .+\)\) in .* 0 summaries accepted/),
    );
    expect(imported.lines).toContain('check --token, then run the command again to resume: what was accepted is not counted twice');

    const users = join(dir, 'refused-users.txt');
    writeFileSync(users, 'refused-u\n');
    const migrated = await runTally([
      'migrate',
      '--from',
      url,
      '--from-token',
      'not-a-token',
      '--users',
      users,
      '--url',
      url,
      '--token',
      TOKENS.beta,
      '--json',
    ]);
    expect(migrated.code, migrated.lines.join('\n')).toBe(1);
    expect(importReport(migrated.lines)).toMatchObject({
      complete: false,
      stoppedBecause: 'the source refused the token (401)',
      remedy: 'check --from-token',
      accepted: 0,
    });
    await drained(source);
    expect(await source.db.db.collection(COLLECTIONS.eventSummaries).countDocuments({ user_id: 'refused-u' })).toBe(0);
  });

  it("rejects lines that are not UTF-8 instead of importing two users as one (import; migrate's users file)", async () => {
    // "zoë" and "zoé" saved as Latin-1: read leniently, both would become "zo\ufffd", one user.
    const latin1 = (name: string) => Buffer.from(`${name},e,1,1700000000,1700000000\n`, 'latin1');
    const input = join(dir, 'latin1.csv');
    writeFileSync(
      input,
      Buffer.concat([
        Buffer.from('user_id,event_name,count,first,last\n'),
        latin1('zoë'),
        latin1('zoé'),
        Buffer.from('zoë,e,2,1700000000,1700000000\n'),
      ]),
    );
    const run = await importInto(source, 'beta', input);
    expect(run.code, run.lines.join('\n')).toBe(3);
    expect(importReport(run.lines)).toMatchObject({ complete: true, lines: 4, accepted: 1, rejected: 2 });
    const rejected = readFileSync(`${input}.rejected.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; errors: { message: string }[] });
    expect(rejected.map((r) => r.line)).toEqual([2, 3]);
    for (const r of rejected) expect(r.errors[0]!.message).toMatch(/not valid UTF-8/);

    const users = join(dir, 'latin1-users.txt');
    writeFileSync(users, Buffer.concat([Buffer.from('zoë\n', 'latin1'), Buffer.from('zoë\n')]));
    const migrated = await runTally([
      ...['migrate', '--from', source.ingresses[0]!.url, '--from-token', TOKENS.beta, '--users', users],
      ...['--dry-run', '--json'],
    ]);
    expect(migrated.code, migrated.lines.join('\n')).toBe(3);
    expect(importReport(migrated.lines)).toMatchObject({ complete: true, accepted: 1, rejected: 1 });
    expect(readFileSync(`${users}.rejected.ndjson`, 'utf8')).toMatch(/not valid UTF-8/);

    await drained(source);
    const zo = (await stored(source.db, 'beta')).filter((d) => d.user_id.startsWith('zo'));
    expect(zo.map((d) => [d.user_id, d.count])).toEqual([['zoë', 2]]);
  });

  it('exports a workspace that imports into an empty store identically, document for document', async () => {
    const exported = join(dir, 'acme-export.ndjson');
    const run = await runTally(['export', '--workspace', 'acme', '--out', exported], {
      MONGO_URL: source.mongo.uri,
      MONGO_DB: source.env.MONGO_DB!,
    });
    expect(run.code, run.lines.join('\n')).toBe(0);
    expect(run.lines.at(-1)).toMatch(new RegExp(`^export: ${expected.length.toLocaleString('en-US')} summaries of workspace acme`));

    const empty = await startStack({ ingresses: 1, workers: 1 });
    others.push(empty);
    const imported = await importInto(empty, 'acme', exported);
    expect(imported.code, imported.lines.join('\n')).toBe(0);
    await drained(empty);
    expect(await stored(empty.db, 'acme')).toEqual(await stored(source.db, 'acme'));
  });

  it('an export that finds nothing says why: a workspace with no summaries names those that have some; a user with none, or only email-named users, says so', async () => {
    const env = { MONGO_URL: source.mongo.uri, MONGO_DB: source.env.MONGO_DB! };
    const typo = await runTally(['export', '--workspace', 'acem'], env);
    expect(typo.code, typo.lines.join('\n')).toBe(0);
    expect(typo.lines.at(-1)).toMatch(/^export: 0 summaries of workspace acem written to stdout/);
    const named = typo.lines.map((l) => /^export: workspace acem holds no summaries; workspaces that do: (.+)$/.exec(l)?.[1]).find(Boolean);
    expect(named, typo.lines.join('\n')).toBeDefined();
    expect(named!.split(', ')).toContain('acme');

    const nobody = await runTally(['export', '--workspace', 'acme', '--user', 'nobody-at-all'], env);
    expect(nobody.code, nobody.lines.join('\n')).toBe(0);
    expect(nobody.lines).toContain('export: workspace acme holds summaries, but none match --user / --since');

    // A workspace whose only user was named by email (as a raw event can name one), written by the store itself.
    const at = new Date(1_700_000_000_000);
    await new EventSummariesRepository(source.db.db).apply([
      { workspace: 'by-email', user_id: { email: 'ann@example.com' }, event_name: 'e', count: 1, first: at, last: at },
    ]);
    const byEmail = await runTally(['export', '--workspace', 'by-email'], env);
    expect(byEmail.code, byEmail.lines.join('\n')).toBe(0);
    expect(byEmail.lines).toContain(
      "export: every user of workspace by-email is named by email or Intercom id, which the import's format (user_id) cannot carry",
    );
  });

  it('export fails whole: MongoDB failing mid-way leaves no file under --out and the previous one as it was; a bad path and a closed pipe end it cleanly', async () => {
    const env = { MONGO_URL: source.mongo.uri, MONGO_DB: source.env.MONGO_DB! };
    const out = join(dir, 'export-over-previous.ndjson');
    writeFileSync(out, 'the previous export\n');
    // The CLI's next getMore (its cursor reads 1,000 summaries a batch) fails as a server shutting down would.
    const admin = source.db.client.db('admin');
    await admin.command({
      configureFailPoint: 'failCommand',
      mode: { times: 1 },
      data: { failCommands: ['getMore'], errorCode: 11600, appName: 'tally-cli' },
    });
    try {
      const failed = await runTally(['export', '--workspace', 'acme', '--out', out], env);
      expect(failed.code, failed.lines.join('\n')).toBe(1);
      expect(failed.lines.at(-1)).toMatch(new RegExp(`^export: failed after 1,000 summaries \\(.+\\); ${out} was not written$`));
    } finally {
      await admin.command({ configureFailPoint: 'failCommand', mode: 'off' });
    }
    expect(readFileSync(out, 'utf8')).toBe('the previous export\n');
    expect(readdirSync(dir).filter((name) => name.includes('.partial'))).toEqual([]);
    // Run again, it replaces the previous export whole.
    const again = await runTally(['export', '--workspace', 'acme', '--out', out], env);
    expect(again.code, again.lines.join('\n')).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(expected.length);

    const missing = await runTally(['export', '--workspace', 'acme', '--out', join(dir, 'no-such-dir', 'x.ndjson')], env);
    expect(missing.code).toBe(1);
    expect(missing.lines).toEqual([`tally: cannot write ${join(dir, 'no-such-dir', 'x.ndjson')} (ENOENT: no such file or directory)`]);

    // `tally export | head -1`: the reader closes the pipe after one line; the export ends quietly, as if by SIGPIPE.
    const { command, args, cwd } = tsEntryCommand('apps/admin/src/cli.ts');
    const child = spawn(command, [...args, 'export', '--workspace', 'acme'], { cwd, env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const [first] = await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = await once(child, 'exit');
    expect(JSON.parse(String(first).split('\n')[0]!)).toMatchObject({ user_id: expect.any(String), event_name: expect.any(String) });
    expect(code).toBe(141);
    expect(stderr).not.toMatch(/EPIPE|Error/);
  });

  it('migrates every listed user from a second Tally, equal to the source', async () => {
    // The source is a second stack of its own (database, queue prefix, Redis) holding a smaller
    // history: the emulator answers each GET /events by scanning its collection.
    const origin = await startStack({ ingresses: 1, workers: 1 });
    others.push(origin);
    const originFile = join(dir, 'origin.ndjson');
    const { expected: originSummaries } = await writeSummaryFile(originFile, {
      lines: 2000,
      eventsPerUser: 25,
      badEvery: Number.MAX_SAFE_INTEGER,
    });
    expect((await importInto(origin, 'acme', originFile)).code).toBe(0);
    await drained(origin);
    const users = join(dir, 'users.txt');
    writeFileSync(users, `${[...new Set([...originSummaries.values()].map((s) => s.user_id))].join('\n')}\n`);

    const run = await runTally([
      'migrate',
      '--from',
      origin.ingresses[0]!.url,
      '--from-token',
      TOKENS.acme,
      '--users',
      users,
      '--url',
      source.ingresses[0]!.url,
      '--token',
      TOKENS.gamma,
      '--json',
    ]);
    expect(run.code, run.lines.join('\n')).toBe(0);
    expect(importReport(run.lines)).toMatchObject({ complete: true, accepted: originSummaries.size, rejected: 0 });
    await drained(source);
    expect(asSummaries(await stored(source.db, 'gamma'))).toEqual(asSummaries(await stored(origin.db, 'acme')));
    expect(asSummaries(await stored(source.db, 'gamma'))).toEqual(sorted(originSummaries.values()));
  });

  it('re-runs migrate from a changed source: finished users skipped, nothing counted twice, a changed unfinished user reported', async () => {
    // One stack is both ends: its acme workspace is the source, its beta workspace the target.
    const stack = await startStack({ ingresses: 1, workers: 1 });
    others.push(stack);
    const originFile = join(dir, 'changing-origin.ndjson');
    await writeSummaryFile(originFile, { lines: 600, eventsPerUser: 20, badEvery: Number.MAX_SAFE_INTEGER, userPrefix: 'chg-' });
    expect((await importInto(stack, 'acme', originFile)).code).toBe(0);
    await drained(stack);
    const byUser = (docs: ReturnType<typeof asSummaries>) => {
      const users = new Map<string, typeof docs>();
      for (const d of docs) users.set(d.user_id, [...(users.get(d.user_id) ?? []), d]);
      return users;
    };
    const before = byUser(asSummaries(await stored(stack.db, 'acme')));
    const users = [...before.keys()];
    expect(users).toHaveLength(30);
    const [changedInFlight, unchangedInFlight] = [users[3]!, users[7]!];

    const checkpoint = join(dir, 'changing.migrated');
    const migrate = (usersFile: string) =>
      runTally([
        'migrate',
        ...['--from', stack.ingresses[0]!.url, '--from-token', TOKENS.acme, '--users', usersFile, '--checkpoint', checkpoint],
        ...['--url', stack.ingresses[0]!.url, '--token', TOKENS.beta, '--json'],
      ]);
    // The first run stops after half the users (as if interrupted there).
    const firstHalf = join(dir, 'changing-first-half.txt');
    writeFileSync(firstHalf, `${users.slice(0, 15).join('\n')}\n`);
    expect((await migrate(firstHalf)).code).toBe(0);
    // Two users were sent, but the run died before it recorded them as finished.
    const recorded = readFileSync(checkpoint, 'utf8').split('\n');
    writeFileSync(
      checkpoint,
      recorded.filter((l) => l !== JSON.stringify(changedInFlight) && l !== JSON.stringify(unchangedInFlight)).join('\n'),
    );

    // The source goes on counting: every user but one gets one more of each event.
    const more = join(dir, 'changing-more.ndjson');
    writeFileSync(
      more,
      [...before.values()]
        .flat()
        .filter((s) => s.user_id !== unchangedInFlight)
        .map((s) => JSON.stringify({ ...s, count: 1 }))
        .join('\n'),
    );
    expect((await importInto(stack, 'acme', more)).code).toBe(0);
    await drained(stack);
    const after = byUser(asSummaries(await stored(stack.db, 'acme')));

    const all = join(dir, 'changing-all.txt');
    writeFileSync(all, `${users.join('\n')}\n`);
    const rerun = await migrate(all);
    const report = importReport(rerun.lines) as ReturnType<typeof importReport> & { usersSkipped: number };
    // The changed user's key was already used for its earlier data: refused, and reported.
    expect(rerun.code, rerun.lines.join('\n')).toBe(3);
    expect(report).toMatchObject({ complete: true, usersSkipped: 13, rejected: 20, accepted: 15 * 20 + 20 });
    const rejected = readFileSync(`${all}.rejected.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(new Set(rejected.map((r: { input: string }) => JSON.parse(r.input).user_id))).toEqual(new Set([changedInFlight]));
    await drained(stack);

    // Finished users as the first run read them, the rest as the source holds them now.
    const expectedTarget = users.flatMap((u, i) => (i < 15 ? before.get(u)! : after.get(u)!));
    expect(asSummaries(await stored(stack.db, 'beta'))).toEqual(sorted(expectedTarget));
  });

  it('--dry-run reports what the API would reject and sends nothing', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = await runTally(['import', file, '--dry-run', '--url', url, '--rejected', join(dir, 'dry.rejected.ndjson'), '--json']);
      expect(run.code).toBe(3);
      expect(importReport(run.lines)).toMatchObject({ complete: true, accepted: LINES - badLines.length, rejected: badLines.length });
      const rejected = readFileSync(join(dir, 'dry.rejected.ndjson'), 'utf8').trim().split('\n');
      expect(rejected.map((l) => JSON.parse(l).line).sort((a: number, b: number) => a - b)).toEqual(badLines);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it('counts nothing twice when a re-run meets a clock that has caught up with a line refused as too far ahead', async () => {
    // One request: five good lines and one a day and an hour ahead of the server's clock.
    const now = Math.floor(Date.now() / 1000);
    const ahead = join(dir, 'ahead.ndjson');
    const line = (event: number, count: number, at: number) =>
      JSON.stringify({ user_id: 'clock-user', event_name: `e${event}`, count, first: at, last: at });
    writeFileSync(ahead, `${[1, 2, 3, 4, 5].map((n) => line(n, n, now - 100)).join('\n')}\n${line(6, 6, now + 86_400 + 3600)}\n`);
    const args = (url: string) => ['import', ahead, '--url', url, '--token', TOKENS.gamma, '--json'];
    const counts = async () =>
      (await stored(source.db, 'gamma')).filter((d) => d.user_id === 'clock-user').map((d) => [d.event_name, d.count]);

    const first = await runTally(args(source.ingresses[0]!.url));
    expect(first.code, first.lines.join('\n')).toBe(3);
    expect(importReport(first.lines)).toMatchObject({ complete: true, accepted: 5, alreadyCounted: 0, rejected: 1 });
    const rejected = JSON.parse(readFileSync(`${ahead}.rejected.ndjson`, 'utf8'));
    expect(rejected).toMatchObject({
      line: 6,
      errors: [{ field: 'first', message: 'first: must not be more than a day in the future' }, { field: 'last' }],
    });

    // Run again through an ingress whose clock has passed that line: the refusal stands, the rest was counted.
    const later = await source.addIngress({}, 'test/src/fixtures/clock-ahead.ingress.ts');
    const again = await runTally(args(later.url));
    expect(again.code, again.lines.join('\n')).toBe(3);
    expect(importReport(again.lines)).toMatchObject({ complete: true, accepted: 5, alreadyCounted: 5, rejected: 1 });
    expect(JSON.parse(readFileSync(`${ahead}.rejected.ndjson`, 'utf8'))).toEqual(rejected);
    await drained(source);
    expect(await counts()).toEqual([1, 2, 3, 4, 5].map((n) => [`e${n}`, n]));
  });
});
