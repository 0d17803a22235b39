/**
 * The admin as a library, for end-to-end tests and tools: the app factory, its configuration,
 * the queue views and the dead-letter commands. The processes are `main.ts` and `cli.ts`.
 */
export { type AdminAppDeps, buildAdminApp } from './app.js';
export { type CliCommand, type DlqTarget, parseCliArgs, UsageError } from './cli/args.js';
export type { DlqOutcome } from './cli/dlq-batch.js';
export { dlqDrop } from './cli/dlq-drop.command.js';
export { type DlqListResult, dlqList } from './cli/dlq-list.command.js';
export { dlqRetry } from './cli/dlq-retry.command.js';
export { type AdminConfig, adminConfigSchema, type CliConfig, cliConfigSchema } from './config.js';
export { type FailedJobsPage, type FailedJobView, listFailedJobs } from './queue-views/failed-jobs.js';
export { type QueueOverview, readOverview, readShardedOverview, type ShardedOverview } from './queue-views/overview.js';
export { type PayloadSize, payloadSize } from './queue-views/payload-size.js';
export { listShardedFailedJobs, type ShardedFailedJobsPage, type ShardFailedJobView } from './queue-views/sharded-failed-jobs.js';
export { operatorConnection } from './redis-connection.js';
