import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive } from './is-alive.js';

describe('isAlive', () => {
  it('is true for a running process, false once it has exited even before its parent reaps it', async () => {
    // sh starts a short sleep, prints its pid, then becomes a long sleep: the long sleep is the
    // short one's parent and never reaps it, so once the short one exits it stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const pid = await new Promise<number>((resolve) =>
        parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))),
      );
      expect(isAlive(pid)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(isAlive(pid)).toBe(false);
      expect(isAlive(parent.pid!)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
