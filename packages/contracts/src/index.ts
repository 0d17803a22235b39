/**
 * The wire contracts: HTTP bodies as Intercom's Data Events API defines them, the job payloads
 * that cross Redis, and Intercom's `error.list` builders.
 */

export {
  type DataEvent,
  dataEventBodySchema,
  dataEventDocumentSchema,
  dataEventRequestSchema,
  type EventIdentity,
  parseDataEventBody,
} from './data-event.schema.js';
export { clip, quoted } from './echoed-value.js';
export { type ErrorList, errorList, errorListSchema, type IntercomError } from './error-list.js';
export {
  type DataEventItem,
  type EventListResponse,
  eventListResponse,
  eventListResponseSchema,
  type StoredEvent,
} from './event-list.response.js';
export {
  type EventMetadata,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_KEYS,
  MAX_METADATA_STRING_LENGTH,
  type MetadataValue,
  parseEventMetadata,
} from './event-metadata.schema.js';
export {
  type EventSummaryResponse,
  eventSummaryResponse,
  eventSummaryResponseSchema,
  type IdentityFields,
  identityFields,
  type StoredSummary,
} from './event-summary.response.js';
export {
  DEFAULT_PER_PAGE,
  type EventsCursor,
  type EventsQuery,
  eventsQueryRequestSchema,
  eventsQuerySchema,
  formatCursor,
  MAX_PER_PAGE,
  parseEventsQuery,
} from './events-query.schema.js';
export {
  type Canonical,
  canonicalJson,
  type DedupKind,
  decodeReservation,
  encodeReservation,
  eventDedupKey,
  fingerprint,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  idempotencyKeyHeaderSchema,
  idempotencyKeySchema,
  ledgerKeyId,
  type Reservation,
  reservationRedisKey,
} from './idempotency.js';
export {
  BODY_IDENTITY_FIELDS,
  type Identity,
  type IdentityKind,
  normalizeEmail,
  parseIdentity,
  QUERY_IDENTITY_FIELDS,
} from './identity.schema.js';
export { INTERCOM_VERSIONS, intercomVersionHeaderSchema, intercomVersionSchema, isIntercomVersion } from './intercom-version.js';
export { type JsonBodyResult, jsonDepth, MAX_JSON_DEPTH, parseJsonBody } from './json-body.js';
export { intercomErrorsOf, requestSchema } from './request-schema.js';
export {
  type CanonicalSummaries,
  FUTURE_TOLERANCE_SECONDS,
  MAX_COUNT,
  MAX_NAME_LENGTH,
  MAX_SUMMARIES_PER_REQUEST,
  type ParseResult,
  parseSummariesBody,
  type Rejudged,
  rejudgeRefusedSummaries,
  type Summary,
  sentAsBatch,
  summariesBodySchema,
  summariesFingerprint,
  summariesRequestSchema,
} from './summary.schema.js';
export { type SummaryBatchJob, type SummaryBatchRequest, summaryBatchJobSchema } from './summary-batch.job.js';
export { identityString, identityTextProblem, isIdentityText, isWellFormedText, wellFormedString } from './text-rules.js';
export { zodIssuesToErrors } from './zod-issues.js';
