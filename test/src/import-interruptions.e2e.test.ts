import { rmSync } from 'node:fs';
import { freePort } from '@tally/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFreezeProxy } from './support/freeze-proxy.js';
import { acceptedSoFar, asSummaries, drained, LINES, stored, TIMEOUT_MS, writeImportFile } from './support/import-e2e.js';
import { type Stack, startStack, TOKENS } from './support/stack.js';
import type { ExpectedSummary } from './support/summary-file.js';
import { importReport, runTally, startTally } from './support/tally-cli.js';

/**
 * `tally import` interrupted, against real processes: the CLI SIGKILLed and run again; one run
 * through lost answers, a SIGKILLed Redis and a SIGKILLed ingress; Ctrl-C once and twice. Each
 * ends with exactly the totals of one clean run.
 */
describe('tally import, interrupted', { timeout: TIMEOUT_MS }, () => {
  let source: Stack;
  // Stacks started by single tests, stopped at the end.
  const others: Stack[] = [];
  let dir: string;
  let file: string;
  let expected: ExpectedSummary[];
  let badLines: number[];

  beforeAll(async () => {
    ({ dir, file, expected, badLines } = await writeImportFile());
    source = await startStack({ ingresses: 1, workers: 1 });
  });
  afterAll(async () => {
    for (const stack of others) await stack.stop();
    await source?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts nothing twice when the import is SIGKILLed halfway and run again', async () => {
    const args = ['import', file, '--url', source.ingresses[0]!.url, '--token', TOKENS.beta, '--json'];
    const first = await startTally([...args, '--progress-interval', '0.1']);
    const half = await first.waitForLine((line) => acceptedSoFar(line) >= LINES / 2, TIMEOUT_MS / 2);
    await first.kill('SIGKILL');
    // Killed mid-way: some summaries in, others not yet sent.
    expect(acceptedSoFar(half)).toBeLessThan(LINES - badLines.length);

    const again = await runTally(args);
    const report = importReport(again.lines);
    expect(report).toMatchObject({ complete: true, accepted: LINES - badLines.length, rejected: badLines.length });
    // What the killed run had sent is answered from the API's memory of its keys: at least what it reported.
    expect(report.alreadyCounted).toBeGreaterThanOrEqual(acceptedSoFar(half));
    expect(report.alreadyCounted).toBeLessThan(LINES - badLines.length);
    await drained(source);
    expect(asSummaries(await stored(source.db, 'beta'))).toEqual(expected);
  });

  it('finishes with exact totals, without a re-run, through lost answers, a SIGKILLed Redis and a SIGKILLed ingress', async () => {
    // The ingress listens on a port of the test's choosing, so the one started after the kill
    // takes the same address, as a restarted replica behind a fixed URL does; the import reaches
    // it through a proxy that loses some answers (the API counted the request, the client never
    // heard), so every retry of a request already counted is certain to happen.
    const port = await freePort();
    const stack = await startStack({ ingresses: 0, workers: 1 });
    others.push(stack);
    const doomed = await stack.addIngress({ PORT: String(port) });
    const proxy = await startFreezeProxy('127.0.0.1', port);
    try {
      proxy.loseAnswers(25);
      const url = `http://127.0.0.1:${proxy.port}`;
      const run = await startTally(['import', file, '--url', url, '--token', TOKENS.acme, '--json', '--progress-interval', '0.1']);

      await run.waitForLine((line) => acceptedSoFar(line) >= LINES / 4, TIMEOUT_MS / 2);
      await stack.redis.kill('SIGKILL');
      // Down long enough that requests are refused (503) and in-flight ones lost, then back from its AOF.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await stack.redis.restart();

      await run.waitForLine((line) => acceptedSoFar(line) >= LINES / 2, TIMEOUT_MS / 2);
      await doomed.app.kill('SIGKILL');
      // The import had not finished: requests were in flight or waiting when the ingress died.
      expect(run.exit).toBeUndefined();
      await stack.addIngress({ PORT: String(port) });

      const exit = await run.exited;
      const report = importReport(run.lines);
      expect(exit.code, run.lines.slice(-20).join('\n')).toBe(3); // finished, some lines rejected
      expect(report).toMatchObject({ complete: true, lines: LINES, accepted: LINES - badLines.length, rejected: badLines.length });
      // It met the faults and retried through them; requests whose answer was lost were answered
      // again from the API's memory of their keys.
      expect(proxy.answersLost()).toBeGreaterThan(0);
      expect(report.refusals).toBeGreaterThan(0);
      expect(report.alreadyCounted).toBeGreaterThan(0);
      await drained(stack);
      expect(asSummaries(await stored(stack.db, 'acme'))).toEqual(expected);
    } finally {
      await proxy.close();
    }
  });

  it('stops at Ctrl-C once what is in flight is answered, reporting exactly what was counted; quits at a second Ctrl-C; a re-run finishes either', async () => {
    const stack = await startStack({ ingresses: 1, workers: 1 });
    others.push(stack);
    // Frozen, the proxy holds the requests in flight unanswered for as long as the test needs.
    const ingress = new URL(stack.ingresses[0]!.url);
    const proxy = await startFreezeProxy(ingress.hostname, Number(ingress.port));
    const interrupted = (line: string) => line.includes('interrupted; finishing the requests in flight');
    const importing = (workspace: keyof typeof TOKENS, url: string) =>
      startTally(['import', file, '--url', url, '--token', TOKENS[workspace], '--json', '--progress-interval', '0.1']);
    const storedLines = async (workspace: string) => (await stored(stack.db, workspace)).length;
    try {
      const viaProxy = `http://127.0.0.1:${proxy.port}`;
      // One Ctrl-C: reading stops, the requests in flight are waited for, the report is exact.
      const once = await importing('acme', viaProxy);
      await once.waitForLine((line) => acceptedSoFar(line) >= LINES / 4, TIMEOUT_MS / 2);
      proxy.freeze();
      once.signal('SIGINT');
      await once.waitForLine(interrupted);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(once.exit).toBeUndefined(); // still waiting for the answers the proxy holds
      proxy.thaw();
      expect((await once.exited).code).toBe(1);
      const stopped = importReport(once.lines);
      expect(stopped).toMatchObject({ complete: false, stoppedBecause: 'interrupted' });
      expect(stopped.accepted).toBeLessThan(LINES - badLines.length);
      await drained(stack);
      // Every good line is a user and event of its own: one stored document per line counted.
      expect(await storedLines('acme')).toBe(stopped.accepted);

      // Two: the second quits at once, answers still held; the requests it left are the re-run's.
      const twice = await importing('beta', viaProxy);
      await twice.waitForLine((line) => acceptedSoFar(line) >= LINES / 4, TIMEOUT_MS / 2);
      proxy.freeze();
      twice.signal('SIGINT');
      await twice.waitForLine(interrupted);
      twice.signal('SIGINT');
      const quit = await Promise.race([
        twice.exited,
        new Promise((resolve) => setTimeout(() => resolve('still running after 5 s'), 5_000)),
      ]);
      expect(quit).toMatchObject({ code: 130 });
      proxy.thaw();

      for (const workspace of ['acme', 'beta'] as const) {
        const again = await runTally(['import', file, '--url', stack.ingresses[0]!.url, '--token', TOKENS[workspace], '--json']);
        expect(again.code, again.lines.slice(-20).join('\n')).toBe(3);
        const report = importReport(again.lines);
        expect(report).toMatchObject({ complete: true, accepted: LINES - badLines.length, rejected: badLines.length });
        if (workspace === 'acme') expect(report.alreadyCounted).toBe(stopped.accepted);
      }
      await drained(stack);
      expect(asSummaries(await stored(stack.db, 'acme'))).toEqual(expected);
      expect(asSummaries(await stored(stack.db, 'beta'))).toEqual(expected);
    } finally {
      await proxy.close();
    }
  });
});
