import type { RedisClient, RedisConnectionOptions, Worker } from '@tally/queue';
import { Cluster, Redis } from 'ioredis';
import { createSummariesWorker, type SummariesWorkerOptions } from './worker.js';

/** The workers of one process: one per shard queue, started and stopped together. */
export interface ShardWorkers {
  workers: Worker[];
  /** Starts every worker and resolves once all are connected. */
  start(): Promise<void>;
  /** Stops fetching on every shard, waits for their running jobs, then closes a shared client. */
  close(): Promise<void>;
}

/**
 * Every shard is consumed by every worker process, so adding a process adds throughput to all
 * shards alike and no shard is left without a consumer when one process dies. Each worker
 * subtracts its finished jobs from its own shard's summary backlog (it keys by its queue).
 * WORKER_CONCURRENCY applies per shard: a process runs up to shards × concurrency jobs.
 */
export function createShardWorkers(queues: readonly string[], options: Omit<SummariesWorkerOptions, 'queue'>): ShardWorkers {
  // A client instance (a Redis Cluster) is shared by the workers, and BullMQ leaves a shared
  // connection open: it is closed here, after the last worker.
  const shared = isClient(options.connection) ? options.connection : undefined;
  const workers = queues.map((queue) => createSummariesWorker({ ...options, queue }));
  return {
    workers,
    start: async () => {
      for (const worker of workers) void worker.run();
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    },
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      if (shared) await shared.quit().catch(() => shared.disconnect());
    },
  };
}

function isClient(connection: RedisConnectionOptions | RedisClient): connection is RedisClient {
  return connection instanceof Redis || connection instanceof Cluster;
}
