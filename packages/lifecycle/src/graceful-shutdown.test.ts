import { EventEmitter } from 'node:events';
import { createLogger } from '@tally/logger';
import { describe, expect, it } from 'vitest';
import { handleShutdownSignals } from './graceful-shutdown.js';

const logger = createLogger({ name: 'test', level: 'silent' });

/** A process stand-in: signals are emitted by the test, exits are recorded. */
function harness(stop: () => Promise<void>, timeoutMs = 50) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  let exited!: (code: number) => void;
  const firstExit = new Promise<number>((resolve) => {
    exited = resolve;
  });
  handleShutdownSignals({
    name: 'test',
    logger,
    timeoutMs,
    stop,
    signals: signals as unknown as Pick<NodeJS.Process, 'on'>,
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  });
  return { signals, exits, firstExit };
}

describe('handleShutdownSignals', () => {
  it('exits 0 once stop() finishes', async () => {
    const { signals, firstExit } = harness(async () => undefined);
    signals.emit('SIGTERM');
    expect(await firstExit).toBe(0);
  });

  it('exits 1 at the deadline when stop() never finishes (a frozen dependency)', async () => {
    const { signals, firstExit } = harness(() => new Promise(() => undefined));
    signals.emit('SIGTERM');
    expect(await firstExit).toBe(1);
  });

  it('exits 1 when stop() fails', async () => {
    const { signals, firstExit } = harness(async () => {
      throw new Error('redis gone');
    });
    signals.emit('SIGINT');
    expect(await firstExit).toBe(1);
  });

  it('exits 1 at once on a second signal', async () => {
    const { signals, exits } = harness(() => new Promise(() => undefined), 60_000);
    signals.emit('SIGTERM');
    signals.emit('SIGTERM');
    expect(exits).toEqual([1]);
  });
});
