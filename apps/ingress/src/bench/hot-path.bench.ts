/**
 * What metrics and rate limits add to each request, measured apart from the HTTP stack (whose
 * cost on a shared machine varies far more than these do): `IngressMetrics.request` (counted on
 * every answer) and `WindowRateLimiter.take` against a real Redis, chunked draws included.
 * Compare with the ingress's CPU time per request from test/src/ops-overhead.ts.
 *
 *   node --conditions=tally-source --import tsx apps/ingress/src/bench/hot-path.bench.ts
 */
import { createMetricsRegistry } from '@tally/metrics';
import { startRedis, stopAll } from '@tally/testing';
import { Redis } from 'ioredis';
import { IngressMetrics } from '../metrics/ingress-metrics.js';
import { RedisAllowanceStore } from '../rate-limit/allowance-store.js';
import { WindowRateLimiter } from '../rate-limit/window-rate-limiter.js';

const CALLS = 300_000;

async function nsPerCall(name: string, call: (i: number) => unknown): Promise<void> {
  for (let round = 1; round <= 3; round += 1) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i += 1) await call(i);
    console.log(`${name}, round ${round}: ${Math.round(Number(process.hrtime.bigint() - started) / CALLS)} ns per request`);
  }
}

const metrics = new IngressMetrics(createMetricsRegistry());
await nsPerCall('metrics (count + latency of one answer)', () => metrics.request('POST', '/events/summaries', 200, 0.0012));

const redis = await startRedis();
const client = new Redis(redis.url);
// 10,000 per second: chunks of 10,000, so about one Redis call per 10,000 requests per workspace.
const limiter = new WindowRateLimiter(new RedisAllowanceStore(client, 'bench'), 'workspace', 600_000, (err) => {
  throw err;
});
const start = Date.now();
// Three workspaces, and a clock that moves 1 ms every 40 requests, so windows roll over as in real traffic.
await nsPerCall('rate limit (one workspace check, Redis draws included)', (i) => limiter.take(`ws${i % 3}`, start + Math.floor(i / 40)));
client.disconnect();
await stopAll();
process.exit(0);
