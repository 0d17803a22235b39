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

  it('shows help for no arguments, --help and -h', () => {
    for (const argv of [[], ['--help'], ['-h'], ['dlq', 'list', '--help']]) expect(parseCliArgs(argv)).toEqual({ command: 'help' });
  });

  it.each([
    [['queue', 'list'], /unknown command "queue"/],
    [['dlq'], /missing dlq command/],
    [['dlq', 'purge'], /unknown dlq command "purge"/],
    [['dlq', 'list', 'extra'], /unexpected argument "extra"/],
    [['dlq', 'list', '--verbose'], /verbose/],
    [['dlq', 'list', '--limit', 'ten'], /--limit must be a whole number/],
    [['dlq', 'list', '--all'], /only --limit and --json/],
    [['dlq', 'retry'], /needs --id JOBID or --all/],
    [['dlq', 'retry', '--id', '1', '--all'], /not both/],
    [['dlq', 'retry', '--id', ''], /--id needs a job id/],
    [['dlq', 'retry', '--all', '--yes'], /--yes is for dlq drop/],
    [['dlq', 'drop', '--all'], /add --yes to confirm/],
    [['dlq', 'drop', '--id', '1', '--limit', '3'], /--limit is for dlq list/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
