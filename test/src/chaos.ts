/**
 * `npm run chaos`: the promise "a 2xx is counted exactly once" under crashes. Starts Redis (AOF,
 * fsync always), the MongoDB emulator, two ingresses and three workers; sends summaries from
 * concurrent clients while workers are SIGKILLed, Redis is SIGKILLed and restarted, MongoDB is
 * paused and an ingress is restarted; then drains and compares every stored count, first and
 * last with what the 2xx answers promised. Exits 1 on any loss, double count or mismatch.
 *
 *   npm run chaos -- [--seconds 60] [--clients 16]      (npm run chaos:smoke: the CI version)
 */
import { parseArgs } from 'node:util';
import { consumerConnection, Queue, queueName } from '@tally/queue';
import { COLLECTIONS } from '@tally/store';
import { Expectations, verify } from './chaos/expectations.js';
import { type FaultLog, runFaults } from './chaos/faults.js';
import { runTraffic, type TrafficStats } from './chaos/traffic.js';
import { waitForDrain } from './load/drain.js';
import { startStack, TOKENS } from './support/stack.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    clients: { type: 'string', default: '16' },
    smoke: { type: 'boolean', default: false },
  },
});
const seconds = values.smoke ? 20 : Number(values.seconds);
const clients = values.smoke ? 8 : Number(values.clients);
const ms = seconds * 1000;
const say = (line: string) => process.stdout.write(`\n[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<void> {
  console.log(`chaos: ${seconds}s of traffic from ${clients} clients; 2 ingresses, 3 workers, Redis (AOF fsync always), MongoDB emulator`);
  const stack = await startStack({
    ingresses: 2,
    workers: 3,
    pausableMongo: true,
    // Short locks: a killed worker's job is retried within seconds instead of 30 s.
    env: { WORKER_LOCK_DURATION_MS: '3000', WORKER_STALLED_INTERVAL_MS: '1500', RETRY_AFTER_SECONDS: '1' },
  });
  // A SIGKILLed worker leaves its open transaction behind; MongoDB aborts it after
  // transactionLifetimeLimitSeconds (60 s by default), and until then retries of that job meet
  // WriteConflicts. A shorter limit, as an operator may set on mongod, keeps the run short.
  const admin = stack.db.client.db('admin');
  const { was: lifetimeWas } = await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 5 });
  const expectations = new Expectations();
  const traffic: TrafficStats = {
    sent: 0,
    refused503: 0,
    networkErrors: 0,
    gaveUp: 0,
    duplicatesSent: 0,
    keyRaces: { races: 0, both200: 0, refused422: 0 },
  };
  const faults: FaultLog = { workerKills: 0, redisRestarts: 0, mongoPauses: 0, ingressRestarts: 0, notes: [] };
  let trafficDone = false;
  const started = performance.now();
  const progress = setInterval(() => {
    process.stdout.write(
      `\r  ${Math.round((performance.now() - started) / 1000)}s: ${traffic.sent} sent, ${expectations.requestsAcked} acked, ${traffic.refused503} × 503, ${traffic.networkErrors} network errors, ${faults.workerKills} worker kills   `,
    );
  }, 1000);
  try {
    await Promise.all([
      runTraffic(
        { urls: () => stack.ingresses.map((i) => i.url), token: TOKENS.acme, clients, durationMs: ms, expectations, retryForMs: 60_000 },
        traffic,
      ).finally(() => {
        trafficDone = true;
      }),
      runFaults(
        stack,
        {
          workerKillEveryMs: values.smoke ? 2500 : 4000,
          redisRestartAtMs: ms * 0.3,
          mongoPauseAtMs: ms * 0.5,
          mongoPauseForMs: Math.min(5000, ms / 5),
          ingressRestartAtMs: ms * 0.7,
        },
        faults,
        say,
        () => trafficDone,
      ),
    ]);
    clearInterval(progress);
    say('traffic done; waiting for the queue to drain');
    const drainMs = await waitForDrain(stack.redis.url, stack.env.QUEUE_PREFIX!, { timeoutMs: 300_000, log: say });
    const queue = new Queue(queueName('summaries'), { connection: consumerConnection(stack.redis.url), prefix: stack.env.QUEUE_PREFIX! });
    const failed = await queue.getFailedCount();
    await queue.close();
    const docs = await stack.db.db.collection(COLLECTIONS.eventSummaries).find({ workspace: 'acme' }).toArray();
    const stored = new Map(
      docs.map((d) => [
        JSON.stringify([d.user_id, d.event_name]),
        { count: d.count as number, first: (d.first as Date).getTime() / 1000, last: (d.last as Date).getTime() / 1000 },
      ]),
    );
    const verdict = verify(expectations, stored);
    await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: lifetimeWas });
    console.log(
      `\nchaos result: requests acked ${expectations.requestsAcked}, summaries acked ${expectations.summariesAcked}, lost ${verdict.lost}, double-counted ${verdict.doubleCounted}, mismatched ${verdict.mismatched}; ` +
        `drain ${(drainMs / 1000).toFixed(1)}s; failed jobs ${failed}; faults: ${faults.workerKills} worker kills, ${faults.redisRestarts} Redis restarts, ${faults.mongoPauses} MongoDB pauses, ${faults.ingressRestarts} ingress restarts; ` +
        `traffic: ${traffic.sent} sent, ${traffic.refused503} × 503, ${traffic.networkErrors} network errors, ${traffic.duplicatesSent} deliberate duplicates, ${traffic.gaveUp} given up; key races: ${traffic.keyRaces.races} (both bodies 200: ${traffic.keyRaces.both200}, 422: ${traffic.keyRaces.refused422})`,
    );
    for (const note of faults.notes) console.log(`note: ${note}`);
    for (const example of verdict.examples.slice(0, 10)) console.log(`  ${example}`);
    const ok =
      verdict.lost === 0 &&
      verdict.doubleCounted === 0 &&
      verdict.mismatched === 0 &&
      failed === 0 &&
      expectations.requestsAcked > 0 &&
      // The race phase ran, and never let two bodies of one key both be acknowledged.
      traffic.keyRaces.races > 0 &&
      traffic.keyRaces.both200 === 0;
    await stack.stop();
    process.exit(ok ? 0 : 1);
  } catch (error) {
    clearInterval(progress);
    await stack.stop().catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
