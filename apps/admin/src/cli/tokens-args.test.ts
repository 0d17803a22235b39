import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from './args.js';

describe('parseCliArgs: tokens', () => {
  it('parses create, list and revoke', () => {
    expect(parseCliArgs(['tokens', 'create', '--workspace', 'acme'])).toEqual({
      command: 'tokens-create',
      json: false,
      workspace: 'acme',
      label: null,
    });
    expect(parseCliArgs(['tokens', 'create', '--workspace=acme', '--label', ' ci ', '--json'])).toEqual({
      command: 'tokens-create',
      json: true,
      workspace: 'acme',
      label: 'ci',
    });
    expect(parseCliArgs(['tokens', 'list'])).toEqual({ command: 'tokens-list', json: false, workspace: null });
    expect(parseCliArgs(['tokens', 'list', '--workspace', 'acme', '--json'])).toEqual({
      command: 'tokens-list',
      json: true,
      workspace: 'acme',
    });
    expect(parseCliArgs(['tokens', 'revoke', '--id', '0123456789AB'])).toEqual({
      command: 'tokens-revoke',
      json: false,
      id: '0123456789ab',
    });
    expect(parseCliArgs(['tokens', 'revoke', '--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [['tokens'], /missing tokens command/],
    [['tokens', 'rotate'], /unknown tokens command "rotate"/],
    [['tokens', 'create'], /needs --workspace NAME/],
    [['tokens', 'create', '--workspace', 'has space'], /--workspace must be/],
    [['tokens', 'create', '--workspace', 'acme', '--id', 'abc'], /not --id/],
    [['tokens', 'list', '--label', 'x'], /only --workspace and --json/],
    [['tokens', 'list', '--limit', '3'], /are for dlq commands/],
    [['tokens', 'revoke'], /exactly one --id/],
    [['tokens', 'revoke', '--id', 'a1b2c3d4', '--id', 'e5f6a7b8'], /exactly one --id/],
    [['tokens', 'revoke', '--id', 'tly_secret'], /hex id/],
    [['tokens', 'revoke', '--id', 'abc'], /hex id/],
    [['tokens', 'revoke', '--id', 'a1b2c3d4', '--workspace', 'acme'], /only --id/],
    [['dlq', 'list', '--workspace', 'acme'], /for tokens commands/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
