/**
 * Queue names, the job catalog (name → payload schema + job options) and the Redis connection
 * policies of producers and consumers. Apps never spell a queue or job name themselves.
 */
export { QUEUES, JOBS, queueName } from './names.js';
export { JOB_CATALOG, parseJobPayload, type JobName, type JobPayload } from './job-catalog.js';
export { backoffStrategy, CAPPED_EXPONENTIAL, MAX_BACKOFF_MS } from './backoff.js';
export { producerConnection, consumerConnection, type RedisConnectionOptions } from './connections.js';
export { Queue, Worker, UnrecoverableError, type Job } from 'bullmq';
