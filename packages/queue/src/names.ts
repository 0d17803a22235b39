/** Queue names (without the key prefix). */
export const QUEUES = {
  /** Micro-batches of accepted event summaries, applied to MongoDB by the worker. */
  summaries: 'summaries',
} as const;

/** Job names within those queues. */
export const JOBS = {
  applySummaries: 'apply-summaries',
} as const;

/** A queue's name; the `QUEUE_PREFIX` is BullMQ's key prefix, not part of the name. */
export function queueName(queue: keyof typeof QUEUES): string {
  return QUEUES[queue];
}
