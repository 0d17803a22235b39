import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';
import { DEFAULT_API_URL, DEFAULT_CONCURRENCY } from './transfer-args.js';

afterEach(() => {
  delete process.env.TALLY_TOKEN;
});

describe('import, export and migrate command lines', () => {
  it('parses import with its defaults, and takes the token from TALLY_TOKEN', () => {
    process.env.TALLY_TOKEN = 'from-env';
    expect(parseCliArgs(['import', 'data.ndjson'])).toEqual({
      command: 'import',
      options: {
        input: 'data.ndjson',
        format: null,
        rejectedPath: null,
        url: DEFAULT_API_URL,
        token: 'from-env',
        concurrency: DEFAULT_CONCURRENCY,
        dryRun: false,
        retryDeadlineMs: 300_000,
        progressIntervalMs: 5000,
        json: false,
      },
    });
    expect(parseCliArgs(['import', '-', '--token', 't', '--format', 'csv', '--concurrency', '2', '--json'])).toMatchObject({
      options: { input: '-', token: 't', format: 'csv', concurrency: 2, json: true },
    });
  });

  it('needs a token, except for a dry run', () => {
    expect(() => parseCliArgs(['import', 'data.ndjson'])).toThrow(/--token <token> \(or TALLY_TOKEN\) is required/);
    expect(parseCliArgs(['import', 'data.ndjson', '--dry-run'])).toMatchObject({ options: { dryRun: true, token: '' } });
  });

  it('refuses a bad concurrency or URL with a usage error', () => {
    expect(() => parseCliArgs(['import', 'f', '--token', 't', '--concurrency', '0'])).toThrow(/at least 1/);
    expect(() => parseCliArgs(['import', 'f', '--token', 't', '--url', 'ftp://x'])).toThrow(/http/);
  });

  it('parses migrate and export', () => {
    expect(
      parseCliArgs(['migrate', '--from', 'https://api.intercom.io', '--from-token', 's', '--users', 'u.txt', '--token', 't']),
    ).toMatchObject({ command: 'migrate', options: { from: 'https://api.intercom.io', fromToken: 's', users: 'u.txt', token: 't' } });
    expect(() => parseCliArgs(['migrate', '--from', 'http://x', '--users', 'u.txt', '--token', 't'])).toThrow(/--from-token/);
    expect(parseCliArgs(['export', '--workspace', 'acme', '--since', '2024-01-31', '--user', 'ann'])).toEqual({
      command: 'export',
      options: { workspace: 'acme', userId: 'ann', since: new Date('2024-01-31'), out: null, progressIntervalMs: 5000 },
    });
    expect(parseCliArgs(['export', '--workspace', 'acme', '--since', '1700000000'])).toMatchObject({
      options: { since: new Date(1_700_000_000_000) },
    });
    expect(() => parseCliArgs(['export', '--workspace', 'acme', '--since', 'soon'])).toThrow(/ISO date/);
  });
});
