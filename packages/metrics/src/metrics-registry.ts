import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A registry of its own per process (not prom-client's global one), holding Node's default
 * process metrics (CPU, memory, event-loop lag, GC, handles) and whatever the app adds.
 * Tests build several apps in one process; separate registries keep their counts apart.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Latency buckets in seconds, from a Redis round trip on loopback to a request near its deadline. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Buckets for counts (batch sizes): powers of two up to the largest micro-batch. */
export const SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/** Buckets for end-to-end lag in seconds: milliseconds when idle, minutes behind a backlog. */
export const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
