import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrateCheckpoint } from './migrate-checkpoint.js';

describe('MigrateCheckpoint', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tally-checkpoint-'));
    path = join(dir, 'users.txt.migrated');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the migration before anything is sent, and remembers finished users across runs', async () => {
    const first = await MigrateCheckpoint.open(path, 'https://api.intercom.io', { dryRun: false });
    // Written at once: a run killed before its first user finished still leaves its id.
    expect(JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!)).toEqual({
      tally_migrate: 1,
      id: first.id,
      from: 'https://api.intercom.io',
    });
    first.finish('ann');
    first.finish('bob "the builder"');
    await first.close();

    const again = await MigrateCheckpoint.open(path, 'https://api.intercom.io', { dryRun: false });
    expect(again.id).toBe(first.id);
    expect([again.has('ann'), again.has('bob "the builder"'), again.has('carl')]).toEqual([true, true, false]);
    await again.close();
  });

  it('ignores a torn last line (a run killed mid-write): that user is sent again', async () => {
    const first = await MigrateCheckpoint.open(path, 'http://a', { dryRun: false });
    first.finish('ann');
    await first.close();
    appendFileSync(path, '"bo');
    const again = await MigrateCheckpoint.open(path, 'http://a', { dryRun: false });
    expect([again.has('ann'), again.has('bo'), again.size]).toEqual([true, false, 1]);
  });

  it("refuses another source's checkpoint and a file that is not one", async () => {
    await (await MigrateCheckpoint.open(path, 'http://a', { dryRun: false })).close();
    await expect(MigrateCheckpoint.open(path, 'http://b', { dryRun: false })).rejects.toThrow(/migration from http:\/\/a, not http:\/\/b/);
    const other = join(dir, 'users.txt');
    appendFileSync(other, 'ann\nbob\n');
    await expect(MigrateCheckpoint.open(other, 'http://a', { dryRun: false })).rejects.toThrow(/not a migrate checkpoint/);
  });

  it('writes nothing in a dry run', async () => {
    const dry = await MigrateCheckpoint.open(path, 'http://a', { dryRun: true });
    dry.finish('ann');
    await dry.close();
    expect(existsSync(path)).toBe(false);
  });
});
