/**
 * The wire contracts: HTTP bodies as Intercom's Data Events API defines them, the job payloads
 * that cross Redis, and Intercom's `error.list` builders.
 */

export { dataEventBodySchema, parseDataEventBody } from './data-event.schema.js';
export { type ErrorList, errorList, type IntercomError } from './error-list.js';
export { type EventSummaryResponse, eventSummaryResponse, type StoredSummary } from './event-summary.response.js';
export { type EventsQuery, parseEventsQuery } from './events-query.schema.js';
export { IDEMPOTENCY_KEY_MAX_LENGTH, idempotencyKeySchema } from './idempotency-key.schema.js';
export { INTERCOM_VERSIONS, isIntercomVersion } from './intercom-version.js';
export {
  FUTURE_TOLERANCE_SECONDS,
  MAX_COUNT,
  MAX_NAME_LENGTH,
  MAX_SUMMARIES_PER_REQUEST,
  type ParseResult,
  parseSummariesBody,
  type Summary,
} from './summary.schema.js';
export { type SummaryBatchJob, type SummaryBatchRequest, summaryBatchJobSchema } from './summary-batch.job.js';
export { zodIssuesToErrors } from './zod-issues.js';
