import { Counter, Histogram, LATENCY_BUCKETS, LocalCounter, LocalHistogram, type Registry, SIZE_BUCKETS } from '@tally/metrics';

import type { UnavailableReason } from '../unavailable-reasons.js';

/** Why the ingress refused a request: one label value per family of refusal. */
export type Refusal = 'auth' | 'validation' | 'rate_limit' | 'backlog' | 'redis' | 'shutdown' | 'store';

const REFUSAL_OF: Record<UnavailableReason, Refusal> = {
  shuttingDown: 'shutdown',
  queueUnreachable: 'redis',
  enqueueFailed: 'redis',
  backlogUnmeasured: 'redis',
  backlogFull: 'backlog',
  storageFull: 'backlog',
  tokensLoading: 'store',
  storeUnavailable: 'store',
};

/** The refusal family (metrics label) of a 503 reason. */
export function refusalFor(reason: UnavailableReason): Refusal {
  return REFUSAL_OF[reason];
}

/**
 * The ingress's `tally_ingress_*` metrics. Label values are bounded: a route is the route's
 * pattern (`routeOptions.url`), never the raw URL, so a scan of random paths adds one series
 * (`unmatched`), not thousands. The per-request pair is kept locally (a map lookup and two
 * additions per request) and formatted only when scraped.
 */
export class IngressMetrics {
  private readonly requests: LocalCounter;
  private readonly duration: LocalHistogram;
  private readonly refusals: Counter<'reason'>;
  private readonly accepted: Counter;
  private readonly replays: Counter;
  private readonly batchSize: Histogram;
  private readonly enqueueDuration: Histogram;
  private readonly children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new LocalCounter(
      'tally_ingress_http_requests_total',
      'HTTP requests answered, by method, route pattern and status code.',
      registry,
    );
    this.duration = new LocalHistogram(
      'tally_ingress_http_request_duration_seconds',
      'Time from the first byte of a request to the last byte of its answer.',
      LATENCY_BUCKETS,
      registry,
    );
    this.refusals = new Counter({
      name: 'tally_ingress_refusals_total',
      help: 'Requests refused, by reason: auth, validation, rate_limit, backlog, redis, shutdown, store.',
      labelNames: ['reason'],
      registers,
    });
    this.accepted = new Counter({
      name: 'tally_ingress_summaries_accepted_total',
      help: 'Summaries acknowledged with a 2xx (durable in the queue), replays not included.',
      registers,
    });
    this.replays = new Counter({
      name: 'tally_ingress_idempotent_replays_total',
      help: 'Requests answered from an earlier one with the same Idempotency-Key (nothing queued).',
      registers,
    });
    this.batchSize = new Histogram({
      name: 'tally_ingress_batch_requests',
      help: 'HTTP requests gathered into one queued job (micro-batch size).',
      buckets: SIZE_BUCKETS,
      registers,
    });
    this.enqueueDuration = new Histogram({
      name: 'tally_ingress_enqueue_duration_seconds',
      help: 'Time for Redis to confirm one micro-batch job, failures included.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  request(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.children.get(key);
    if (!child) {
      child = { count: this.requests.child({ method, route, status: String(status) }), time: this.duration.child({ method, route }) };
      this.children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  }

  refused(reason: Refusal): void {
    this.refusals.labels(reason).inc();
  }

  summariesAccepted(count: number): void {
    this.accepted.inc(count);
  }

  replayed(): void {
    this.replays.inc();
  }

  batchQueued(requests: number, seconds: number): void {
    this.batchSize.observe(requests);
    this.enqueueDuration.observe(seconds);
  }
}
