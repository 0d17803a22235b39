import { consumerConnection, Queue, queueName } from '@tally/queue';
import { COLLECTIONS, type MongoConnection } from '@tally/store';
import { waitFor } from '@tally/testing';

/** Sum of every stored count in the stack's database. */
export async function storedTotal(db: MongoConnection): Promise<number> {
  const [row] = await db.db
    .collection(COLLECTIONS.eventSummaries)
    .aggregate<{ total: number }>([{ $group: { _id: null, total: { $sum: '$count' } } }])
    .toArray();
  return row?.total ?? 0;
}

/**
 * Waits until the queue is empty (nothing waiting, delayed or active) and returns how long
 * that took. Progress goes to `log` every few seconds.
 */
export async function waitForDrain(
  redisUrl: string,
  prefix: string,
  options: { timeoutMs: number; log?: (line: string) => void },
): Promise<number> {
  const queue = new Queue(queueName('summaries'), { connection: consumerConnection(redisUrl), prefix });
  const started = performance.now();
  let lastLog = 0;
  try {
    await waitFor(
      async () => {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        const left = Object.values(counts).reduce((a, b) => a + b, 0);
        if (options.log && performance.now() - lastLog > 3000) {
          lastLog = performance.now();
          options.log(`draining: ${left} jobs left (${JSON.stringify(counts)})`);
        }
        return left === 0;
      },
      { timeoutMs: options.timeoutMs, intervalMs: 100, message: 'the queue never drained' },
    );
    return performance.now() - started;
  } finally {
    await queue.close();
  }
}
