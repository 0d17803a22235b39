import { type Child, startChild } from './child-process.js';
import { inheritedEnv, nodeChild } from './node-entry.js';

const LISTENING = /listening on (mongodb:\/\/\S+)/;
/** The first run compiles the emulator through tsx: allow for a slow, cold machine. */
const READY_TIMEOUT_MS = 60_000;

/** Tally's MongoDB wire-protocol emulator (in memory) on `port`; resolves with its URI once it listens. */
export async function startEmulator(options: { port: number; onLine: (line: string) => void }): Promise<{ child: Child; uri: string }> {
  const child = await startChild({
    name: 'mongo',
    ...nodeChild('packages/mongo-emulator/src/cli.ts', ['--port', String(options.port)]),
    env: inheritedEnv(),
    onLine: options.onLine,
  });
  try {
    const line = await child.waitForLine((text) => LISTENING.test(text), READY_TIMEOUT_MS);
    return { child, uri: LISTENING.exec(line)?.[1] ?? `mongodb://127.0.0.1:${options.port}` };
  } catch (error) {
    await child.kill();
    throw error;
  }
}
