/**
 * Queue names, the job catalog (name → payload schema + job options) and the Redis connection
 * policies of producers and consumers. Apps never spell a queue or job name themselves.
 */

export { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
export { backoffStrategy, CAPPED_EXPONENTIAL, MAX_BACKOFF_MS } from './backoff.js';
export { consumerConnection, producerConnection, type RedisConnectionOptions } from './connections.js';
export { JOB_CATALOG, type JobName, type JobPayload, parseJobPayload } from './job-catalog.js';
export { JOBS, QUEUES, queueName } from './names.js';
export { reportRedisOutages } from './redis-outages.js';
