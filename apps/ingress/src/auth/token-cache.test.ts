import { createHash } from 'node:crypto';
import type { TokenEntry } from '@tally/config';
import { createLogger } from '@tally/logger';
import { describe, expect, it, vi } from 'vitest';
import { TokenCache } from './token-cache.js';

const entry = (workspace: string, token: string): TokenEntry => ({
  workspace,
  tokenHash: createHash('sha256').update(token).digest('hex'),
});

function cache(
  load: () => Promise<readonly TokenEntry[]>,
  envTokens: TokenEntry[] = [entry('env', 'env-token-0001')],
  source: 'env' | 'mongo' | 'both' = 'both',
) {
  let clock = 0;
  const logger = createLogger({ name: 'test', level: 'silent' });
  const warn = vi.spyOn(logger, 'warn');
  const info = vi.spyOn(logger, 'info');
  const tokens = new TokenCache({ source, envTokens, load, refreshMs: 60_000, logger, warnEveryMs: 1000, now: () => clock });
  return {
    tokens,
    warn,
    info,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('TokenCache', () => {
  it('is authoritative only once a load succeeded: a failed first load proves nothing', async () => {
    let down = true;
    const { tokens } = cache(async () => {
      if (down) throw new Error('connect ECONNREFUSED');
      return [];
    });
    expect(tokens.authoritative()).toBe(false);
    expect(await tokens.refresh()).toBe(false);
    expect(tokens.authoritative()).toBe(false);
    down = false;
    expect(await tokens.refresh()).toBe(true);
    expect(tokens.authoritative()).toBe(true);
  });

  it('with source env, is authoritative at once and never loads', async () => {
    let loads = 0;
    const { tokens } = cache(
      async () => {
        loads += 1;
        return [];
      },
      undefined,
      'env',
    );
    tokens.start();
    tokens.stop();
    expect(tokens.authoritative()).toBe(true);
    expect(loads).toBe(0);
    expect(tokens.workspaceFor('env-token-0001')).toBe('env');
  });

  it('with source mongo, ignores TALLY_TOKENS', async () => {
    const { tokens } = cache(async () => [entry('mongo', 'mongo-token-01')], undefined, 'mongo');
    expect(tokens.workspaceFor('env-token-0001')).toBeNull();
    await tokens.refresh();
    expect(tokens.workspaceFor('mongo-token-01')).toBe('mongo');
    expect(tokens.workspaceFor('env-token-0001')).toBeNull();
  });

  it('serves the env tokens before any load, and env plus loaded tokens after one', async () => {
    const { tokens } = cache(async () => [entry('mongo', 'mongo-token-01')]);
    expect(tokens.workspaceFor('env-token-0001')).toBe('env');
    expect(tokens.workspaceFor('mongo-token-01')).toBeNull();
    expect(await tokens.refresh()).toBe(true);
    expect(tokens.workspaceFor('mongo-token-01')).toBe('mongo');
    expect(tokens.workspaceFor('env-token-0001')).toBe('env');
    expect(tokens.mongoTokens).toBe(1);
  });

  it('keeps the last loaded set when a load fails, and warns once per interval, not once per failure', async () => {
    let down = false;
    const { tokens, warn, info, advance } = cache(async () => {
      if (down) throw new Error('connect ECONNREFUSED');
      return [entry('mongo', 'mongo-token-01')];
    });
    await tokens.refresh();
    down = true;
    for (let i = 0; i < 5; i++) {
      expect(await tokens.refresh()).toBe(false);
      advance(100);
    }
    expect(tokens.workspaceFor('mongo-token-01')).toBe('mongo');
    expect(warn).toHaveBeenCalledTimes(1);
    advance(1000);
    await tokens.refresh();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]?.[0]).toMatchObject({ failedRefreshesNotLogged: 4, mongoTokens: 1 });
    down = false;
    await tokens.refresh();
    expect(info).toHaveBeenCalledWith({ mongoTokens: 1 }, 'api_tokens loaded again from MongoDB');
  });

  it('shares one load between concurrent refreshes', async () => {
    let loads = 0;
    const { tokens } = cache(async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return [];
    });
    await Promise.all([tokens.refresh(), tokens.refresh(), tokens.refresh()]);
    expect(loads).toBe(1);
  });

  it('warns at start when TALLY_TOKENS is empty, and ignores a load that ends after stop()', async () => {
    let finish: (entries: TokenEntry[]) => void = () => undefined;
    const { tokens, warn } = cache(() => new Promise((resolve) => (finish = resolve)), []);
    tokens.start();
    expect(warn).toHaveBeenCalledWith('TALLY_TOKENS is empty: only tokens in MongoDB api_tokens are accepted');
    tokens.stop();
    finish([entry('late', 'late-token-01')]);
    expect(await tokens.refresh()).toBe(false);
    expect(tokens.workspaceFor('late-token-01')).toBeNull();
  });
});
