import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STDOUT_BUFFER_MAX_BYTES } from './create-logger.js';

const child = fileURLToPath(new URL('./testing/unread-stdout.child.ts', import.meta.url));

/** What `stream` says until its text matches `pattern`, or all it said within `timeoutMs`. */
function textUntil(stream: Readable | null, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(text), timeoutMs);
    stream?.on('data', (chunk: Buffer) => {
      text += String(chunk);
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

describe('logging to a stdout nobody reads', () => {
  it('neither blocks nor grows without bound: a stalled log reader costs log lines, not the process', async () => {
    // stdout is a FIFO whose reader never reads, as behind a stuck log shipper: once its 64 KiB
    // are full, a blocking write would wait for ever.
    const dir = mkdtempSync(join(tmpdir(), 'tally-stdout-'));
    const fifo = join(dir, 'stdout');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY);
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['ignore', writer, 'pipe'] });
    try {
      const stderr = await textUntil(proc.stderr, /grew \d+\n/, 8_000);
      const grew = Number(/grew (\d+)/.exec(stderr)?.[1]);
      // 170 MB of lines were logged; what is held for the reader is capped well below that.
      expect(grew).toBeLessThan(STDOUT_BUFFER_MAX_BYTES + 60 * 1024 * 1024);
    } finally {
      proc.kill('SIGKILL');
      closeSync(writer);
      closeSync(reader);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a lone line within a fraction of a second: lines are batched, never held back', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, 'one-line'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const stdout = await textUntil(proc.stdout, /\n/, 5_000);
      expect(JSON.parse(stdout)).toMatchObject({ msg: 'a quiet service logs once' });
    } finally {
      proc.kill('SIGKILL');
    }
  });

  it('writes a flushed line and a warning at once: a process SIGKILLed a moment later has still said them', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, 'killed-after'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    const stdout = await textUntil(proc.stdout, /something is wrong/, 10_000);
    expect(await exited).toBe('SIGKILL');
    const messages = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('ready');
    expect(messages).toContain('in between');
    expect(messages).toContain('something is wrong');
  }, 15_000);
});
