/**
 * MongoDB access: the client factory, one repository per collection and index setup. The store
 * knows nothing of queues; the worker composes repositories inside its transaction.
 */

export {
  type ActiveTokenEntry,
  ApiTokensRepository,
  type ApiTokenView,
  type RevokeOutcome,
  TOKEN_ID_LENGTH,
  TOKEN_PREFIX,
} from './api-tokens.repository.js';
export { COLLECTIONS } from './collections.js';
export { DuplicateKeyError, isDuplicateKeyError, isPermanentMongoError, PERMANENT_SERVER_ERRORS } from './errors.js';
export {
  EventSummariesRepository,
  type ExportedSummary,
  type SummaryDelta,
  type SummarySelection,
  summaryId,
} from './event-summaries.repository.js';
export { DEFAULT_EVENTS_RETENTION_SECONDS, DEFAULT_LEDGER_TTL_SECONDS, ensureIndexes } from './indexes.js';
export { IngestLedgerRepository, type JobLedgerState, jobEntryId, keyEntryId, type LedgerKey } from './ingest-ledger.repository.js';
export { LazyMongo } from './lazy-mongo.js';
export { connectMongo, type MongoConnection, supportsTransactions } from './mongo-client.js';
export { type RawEvent, type RawEventsPage, RawEventsRepository, rawEventId } from './raw-events.repository.js';
export { type UserKey, userKey } from './user-key.js';
