import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDotEnv } from './dot-env.js';

const keys = ['TALLY_DOTENV_FROM_FILE', 'TALLY_DOTENV_FROM_SHELL'];
afterEach(() => {
  for (const key of keys) delete process.env[key];
});

describe('loadDotEnv', () => {
  it('loads .env from the directory; a variable set in the shell wins over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-dotenv-'));
    writeFileSync(join(dir, '.env'), '# a comment\nTALLY_DOTENV_FROM_FILE=file\nTALLY_DOTENV_FROM_SHELL=file\n');
    process.env.TALLY_DOTENV_FROM_SHELL = 'shell';
    expect(loadDotEnv(dir)).toBe(join(dir, '.env'));
    expect(process.env.TALLY_DOTENV_FROM_FILE).toBe('file');
    expect(process.env.TALLY_DOTENV_FROM_SHELL).toBe('shell');
  });

  it('does nothing, silently, without a .env', () => {
    expect(loadDotEnv(mkdtempSync(join(tmpdir(), 'tally-dotenv-')))).toBeNull();
  });
});
