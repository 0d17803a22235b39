import { queueName } from '@tally/queue';
import { Redis } from 'ioredis';

/** What the bench reads from Redis before and after a run. */
export interface RedisSnapshot {
  /** Calls of every command since Redis started (INFO commandstats). */
  commands: number;
  /** Bytes Redis holds (INFO memory used_memory). */
  usedMemory: number;
  /** Jobs in the queue's wait list (no worker runs during the ingress bench, so every job added). */
  waitingJobs: number;
}

function sumCalls(commandstats: string): number {
  let total = 0;
  for (const match of commandstats.matchAll(/calls=(\d+)/g)) total += Number(match[1]);
  return total;
}

/** Counters of the Redis at `url` and the queue under `prefix`; the snapshot's own 3 commands count too. */
export async function redisSnapshot(url: string, prefix: string): Promise<RedisSnapshot> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const commandstats = await redis.info('commandstats');
    const memory = await redis.info('memory');
    const waitingJobs = await redis.llen(`${prefix}:${queueName('summaries')}:wait`);
    const used = /used_memory:(\d+)/.exec(memory);
    return { commands: sumCalls(commandstats), usedMemory: used ? Number(used[1]) : Number.NaN, waitingJobs };
  } finally {
    redis.disconnect();
  }
}
