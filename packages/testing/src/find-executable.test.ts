import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findExecutable } from './find-executable.js';
import { findRedisServer, RedisServerMissingError } from './redis-binary.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-find-'));
const program = join(dir, 'tool-b');
writeFileSync(program, '#!/bin/sh\n');
chmodSync(program, 0o755);
const notExecutable = join(dir, 'tool-a');
writeFileSync(notExecutable, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findExecutable', () => {
  it('takes the first executable of the names on PATH, skipping files without the run bit', () => {
    expect(findExecutable('TOOL_BIN', ['tool-a', 'tool-b'], { PATH: `/nonexistent:${dir}` })).toEqual({ path: program });
  });

  it('prefers the override and says when it is not a program', () => {
    expect(findExecutable('TOOL_BIN', ['tool-b'], { PATH: '', TOOL_BIN: program })).toEqual({ path: program });
    expect(findExecutable('TOOL_BIN', ['tool-b'], { PATH: dir, TOOL_BIN: notExecutable })).toEqual({
      missing: 'override-not-executable',
      override: notExecutable,
    });
  });

  it('reports a program that is nowhere, and findRedisServer turns that into install advice', () => {
    expect(findExecutable('TOOL_BIN', ['tool-c'], { PATH: dir })).toEqual({ missing: 'not-on-path' });
    expect(() => findRedisServer({ PATH: dir })).toThrow(RedisServerMissingError);
    expect(() => findRedisServer({ PATH: dir })).toThrow(/apt-get install -y redis-server/);
  });
});
