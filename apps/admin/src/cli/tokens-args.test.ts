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
    expect(parseCliArgs(['tokens', 'revoke', '--help'])).toMatchObject({ command: 'help' });
  });

  it.each([
    [['tokens'], /missing tokens command: create, list or revoke/],
    [['tokens', 'rotate'], /unknown command 'rotate'/],
    [['tokens', 'create'], /required option '--workspace <name>' not specified/],
    [['tokens', 'create', '--workspace', 'has space'], /'--workspace <name>' argument 'has space' is invalid/],
    [['tokens', 'create', '--workspace', 'acme', '--id', 'abc'], /unknown option '--id'/],
    [['tokens', 'list', '--label', 'x'], /unknown option '--label'/],
    [['tokens', 'list', '--limit', '3'], /unknown option '--limit'/],
    [['tokens', 'revoke'], /exactly one --id/],
    [['tokens', 'revoke', '--id', 'a1b2c3d4', '--id', 'e5f6a7b8'], /exactly one --id/],
    [['tokens', 'revoke', '--id', 'tly_secret'], /hex id/],
    [['tokens', 'revoke', '--id', 'abc'], /hex id/],
    [['tokens', 'revoke', '--id', 'a1b2c3d4', '--workspace', 'acme'], /unknown option '--workspace'/],
    [['dlq', 'list', '--workspace', 'acme'], /unknown option '--workspace'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
