/**
 * Queue names, the job catalog (name → payload schema + job options), the shard layout and the
 * Redis connection policies of producers and consumers, on one Redis or a Redis Cluster. Apps
 * never spell a queue or job name themselves.
 */

export { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
export { backoffStrategy, CAPPED_EXPONENTIAL, MAX_BACKOFF_MS } from './backoff.js';
export {
  consumerConnection,
  consumerPolicy,
  producerConnection,
  producerPolicy,
  type RedisConnectionOptions,
} from './connections.js';
export { JOB_CATALOG, type JobName, type JobPayload, parseJobPayload } from './job-catalog.js';
export { keySlot } from './key-slot.js';
export { JOBS, QUEUES, queueName } from './names.js';
export { reportRedisOutages } from './redis-outages.js';
export { createRedisClient, describeRedisTarget, type RedisClient, redisUrlOptions } from './redis-target.js';
export { type ShardLayout, shardQueueNames, shardSlot } from './shards.js';
export {
  addToSummaryBacklog,
  readSummaryBacklog,
  SUMMARY_BACKLOG_SUFFIX,
  subtractFromSummaryBacklog,
  summariesByWorkspace,
} from './summary-backlog.js';
