import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LocalCounter, LocalHistogram } from './local-metrics.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED = [0.0005, 0.001, 0.02, 0.02, 0.5, 3];

describe('LocalCounter and LocalHistogram', () => {
  it("export exactly what prom-client's own counter and histogram export for the same events", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const counter = new LocalCounter('t_requests_total', 'requests', ours).child({ route: '/a', status: '200' });
    const histogram = new LocalHistogram('t_duration_seconds', 'duration', BUCKETS, ours).child({ route: '/a' });
    const refCounter = new Counter({ name: 't_requests_total', help: 'requests', labelNames: ['route', 'status'], registers: [theirs] });
    const refHistogram = new Histogram({
      name: 't_duration_seconds',
      help: 'duration',
      labelNames: ['route'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    for (const value of OBSERVED) {
      counter.inc();
      histogram.observe(value);
      refCounter.inc({ route: '/a', status: '200' });
      refHistogram.observe({ route: '/a' }, value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
