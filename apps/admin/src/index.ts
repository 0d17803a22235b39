/**
 * The admin as a library, for end-to-end tests and tools: the app factory, its configuration,
 * the queue views and the dead-letter commands. The processes are `main.ts` and `cli.ts`.
 */
export { buildAdminApp, type AdminAppDeps } from './app.js';
export { adminConfigSchema, cliConfigSchema, type AdminConfig, type CliConfig } from './config.js';
export { operatorConnection } from './redis-connection.js';
export { readOverview, type QueueOverview } from './queue-views/overview.js';
export { listFailedJobs, type FailedJobView, type FailedJobsPage } from './queue-views/failed-jobs.js';
export { payloadSize, type PayloadSize } from './queue-views/payload-size.js';
export { dlqList, type DlqListResult } from './cli/dlq-list.command.js';
export { dlqRetry } from './cli/dlq-retry.command.js';
export { dlqDrop } from './cli/dlq-drop.command.js';
export type { DlqOutcome } from './cli/dlq-batch.js';
export { parseCliArgs, UsageError, type CliCommand, type DlqTarget } from './cli/args.js';
