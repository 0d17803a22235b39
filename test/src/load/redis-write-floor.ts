import { Redis } from 'ioredis';

/**
 * Latency of the cheapest durable write, for scale: `count` SETs one after another from one
 * client. With `appendfsync always` each waits for the disk's fsync, which no group commit can
 * go below. Returns p50 and p99 in milliseconds.
 */
export async function redisWriteFloor(url: string, count: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const latencies: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const t0 = performance.now();
      await redis.set('bench:write-floor', String(i));
      latencies.push(performance.now() - t0);
    }
    await redis.del('bench:write-floor');
    latencies.sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    return { p50Ms: at(50), p99Ms: at(99) };
  } finally {
    redis.disconnect();
  }
}
