import { Redis } from 'ioredis';

/** Total commands Redis has processed since it started (INFO stats). */
export async function redisCommandsProcessed(url: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const info = await redis.info('stats');
    const match = /total_commands_processed:(\d+)/.exec(info);
    return match ? Number(match[1]) : Number.NaN;
  } finally {
    redis.disconnect();
  }
}
