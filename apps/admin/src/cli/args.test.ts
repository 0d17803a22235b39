import { describe, expect, it } from 'vitest';
import { DEFAULT_LIST_LIMIT, parseCliArgs, UsageError } from './args.js';

describe('parseCliArgs', () => {
  it('parses list, retry and drop', () => {
    expect(parseCliArgs(['dlq', 'list'])).toEqual({ command: 'dlq-list', json: false, limit: DEFAULT_LIST_LIMIT });
    expect(parseCliArgs(['dlq', 'list', '--json', '--limit', '0'])).toEqual({ command: 'dlq-list', json: true, limit: 0 });
    expect(parseCliArgs(['dlq', 'retry', '--id', '7', '--id', '9', '--id', '7'])).toEqual({
      command: 'dlq-retry',
      json: false,
      target: { kind: 'ids', ids: ['7', '9'] },
    });
    expect(parseCliArgs(['dlq', 'retry', '--all', '--json'])).toEqual({ command: 'dlq-retry', json: true, target: { kind: 'all' } });
    expect(parseCliArgs(['dlq', 'drop', '--id=12'])).toEqual({ command: 'dlq-drop', json: false, target: { kind: 'ids', ids: ['12'] } });
    expect(parseCliArgs(['dlq', 'drop', '--all', '--yes'])).toEqual({ command: 'dlq-drop', json: false, target: { kind: 'all' } });
  });

  it('shows the generated help of the command asked about for --help, -h and help', () => {
    expect(parseCliArgs(['--help'])).toMatchObject({ command: 'help', text: expect.stringMatching(/^Usage: npm run tally -- /) });
    expect(parseCliArgs(['-h'])).toMatchObject({ command: 'help', text: expect.stringContaining('tokens') });
    for (const argv of [
      ['dlq', 'drop', '--help'],
      ['dlq', 'help', 'drop'],
    ]) {
      const help = parseCliArgs(argv);
      expect(help).toMatchObject({ command: 'help', text: expect.stringContaining('Usage: npm run tally -- dlq drop') });
      expect(help).toMatchObject({ text: expect.stringContaining('--yes') });
    }
  });

  it('refuses no command at all with a short usage, not the whole help', () => {
    expect(() => parseCliArgs([])).toThrow(
      expect.objectContaining({
        name: 'UsageError',
        message: 'missing command: dlq, tokens, import, export or migrate',
        usage: 'npm run tally -- [options] [command]',
      }),
    );
  });

  it.each([
    [['queue', 'list'], /unknown command 'queue'/],
    [['dlq'], /missing dlq command: list, retry or drop/],
    [['dlq', 'purge'], /unknown command 'purge'/],
    [['dlq', 'list', 'extra'], /too many arguments for 'list'/],
    [['dlq', 'list', '--verbose'], /unknown option '--verbose'/],
    [['dlq', 'list', '--limit', 'ten'], /'--limit <n>' argument 'ten' is invalid. expected a whole number/],
    [['dlq', 'list', '--all'], /unknown option '--all'/],
    [['dlq', 'retry'], /needs --id <job-id> or --all/],
    [['dlq', 'retry', '--id', '1', '--all'], /'--all' cannot be used with option '--id <job-id>'/],
    [['dlq', 'retry', '--id', ''], /--id needs a job id/],
    [['dlq', 'retry', '--all', '--yes'], /unknown option '--yes'/],
    [['dlq', 'drop', '--all'], /add --yes to confirm/],
    [['dlq', 'drop', '--id', '1', '--limit', '3'], /unknown option '--limit'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('names the synopsis of the command being typed in a usage error', () => {
    expect(() => parseCliArgs(['dlq', 'drop', '--all'])).toThrow(
      expect.objectContaining({ usage: 'npm run tally -- dlq drop (--id <job-id>... | --all --yes) [--json]' }),
    );
  });
});
