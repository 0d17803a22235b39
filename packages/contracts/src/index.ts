/**
 * The wire contracts: HTTP bodies as Intercom's Data Events API defines them, the job payloads
 * that cross Redis, and Intercom's `error.list` builders.
 */
export { INTERCOM_VERSIONS, isIntercomVersion } from './intercom-version.js';
export { errorList, type IntercomError, type ErrorList } from './error-list.js';
export {
  summariesBodySchema,
  parseSummariesBody,
  MAX_SUMMARIES_PER_REQUEST,
  MAX_NAME_LENGTH,
  MAX_COUNT,
  FUTURE_TOLERANCE_SECONDS,
  type Summary,
  type ParseResult,
} from './summary.schema.js';
export { parseDataEventBody, dataEventBodySchema } from './data-event.schema.js';
export { parseEventsQuery, type EventsQuery } from './events-query.schema.js';
export { zodIssuesToErrors } from './zod-issues.js';
export { summaryBatchJobSchema, type SummaryBatchJob, type SummaryBatchRequest } from './summary-batch.job.js';
export { eventSummaryResponse, type EventSummaryResponse, type StoredSummary } from './event-summary.response.js';
export { IDEMPOTENCY_KEY_MAX_LENGTH, idempotencyKeySchema } from './idempotency-key.schema.js';
