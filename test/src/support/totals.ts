import { consumerConnection, Queue, queueName } from '@tally/queue';
import { COLLECTIONS } from '@tally/store';
import { waitFor } from '@tally/testing';
import type { Stack } from './stack.js';

/** Stored count per `user_id/event_name` of one workspace, read straight from MongoDB. */
export async function storedCounts(stack: Stack, workspace: string): Promise<Map<string, number>> {
  const docs = await stack.db.db
    .collection<{ user_id: string; event_name: string; count: number }>(COLLECTIONS.eventSummaries)
    .find({ workspace })
    .toArray();
  return new Map(docs.map((d) => [`${d.user_id}/${d.event_name}`, d.count]));
}

/** Waits until the queue holds no waiting, delayed or active job: every accepted batch was processed. */
export async function waitForDrained(stack: Stack, timeoutMs = 30_000): Promise<void> {
  const queue = new Queue(queueName('summaries'), { connection: consumerConnection(stack.redis.url), prefix: stack.env.QUEUE_PREFIX! });
  try {
    await waitFor(
      async () => {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
        return Object.values(counts).every((n) => n === 0);
      },
      { timeoutMs, message: 'the queue to drain' },
    );
  } finally {
    await queue.close();
  }
}
