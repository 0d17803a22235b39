/** Outcome counters and latencies of one load run. */
export interface LoadStats {
  sent: number;
  byStatus: Map<number | 'network-error', number>;
  latenciesMs: number[];
  elapsedMs: number;
}

export interface LoadLoopOptions {
  /** Concurrent clients, each sending one request at a time. */
  concurrency: number;
  /** Stop sending after this long. */
  durationMs: number;
  /** Stop sending after this many requests in all (a bound for CI smoke runs). */
  maxRequests?: number;
  /** Sends request number `n` from client `client`; returns the HTTP status. */
  send: (n: number, client: number) => Promise<number>;
  /** Called about once a second with the stats so far (progress output). */
  onProgress?: (stats: LoadStats) => void;
}

/**
 * A bounded closed-loop load generator: `concurrency` clients, each waiting for its answer
 * before sending again, until the time or request budget runs out. Traffic goes only where
 * `send` sends it (the stack on 127.0.0.1).
 */
export async function runLoad(options: LoadLoopOptions): Promise<LoadStats> {
  const stats: LoadStats = { sent: 0, byStatus: new Map(), latenciesMs: [], elapsedMs: 0 };
  const started = performance.now();
  const deadline = started + options.durationMs;
  const max = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const progress = options.onProgress
    ? setInterval(() => options.onProgress?.({ ...stats, elapsedMs: performance.now() - started }), 1000)
    : undefined;
  const client = async (id: number) => {
    while (performance.now() < deadline && stats.sent < max) {
      const n = stats.sent;
      stats.sent += 1;
      const t0 = performance.now();
      let status: number | 'network-error';
      try {
        status = await options.send(n, id);
      } catch {
        status = 'network-error';
      }
      stats.latenciesMs.push(performance.now() - t0);
      stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, id) => client(id)));
  } finally {
    clearInterval(progress);
  }
  stats.elapsedMs = performance.now() - started;
  return stats;
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
