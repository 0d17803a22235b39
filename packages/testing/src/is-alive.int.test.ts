import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive } from './is-alive.js';
import { waitFor } from './wait-for.js';

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
      // It exits after 0.3 s and stays a zombie for the 30 s its parent lives.
      await waitFor(() => !isAlive(pid), { timeoutMs: 10_000, message: 'the exited child still counted as alive' });
      expect(isAlive(parent.pid!)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  }, 20_000);
});
