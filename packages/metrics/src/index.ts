/**
 * Prometheus metrics shared by every Tally process: a per-process registry with Node's default
 * metrics, the `/metrics` server on its own port, common buckets, and a text-format reader for
 * tests. Each app declares its own `tally_*` metrics next to the code they measure.
 */

export { Counter, Gauge, Histogram, type Registry } from 'prom-client';
export { LocalCounter, LocalHistogram } from './local-metrics.js';
export { createMetricsRegistry, LAG_BUCKETS, LATENCY_BUCKETS, SIZE_BUCKETS } from './metrics-registry.js';
export { sampleValue } from './metrics-scrape.js';
export { type MetricsServer, startMetricsServer } from './metrics-server.js';
