/**
 * MongoDB access: the client factory, one repository per collection and index setup. The store
 * knows nothing of queues; the worker composes repositories inside its transaction.
 */
export { connectMongo, supportsTransactions, type MongoConnection } from './mongo-client.js';
export { LazyMongo } from './lazy-mongo.js';
export { COLLECTIONS } from './collections.js';
export { ensureIndexes, DEFAULT_LEDGER_TTL_SECONDS } from './indexes.js';
export { EventSummariesRepository, summaryId, type SummaryDelta } from './event-summaries.repository.js';
export {
  ApiTokensRepository,
  TOKEN_ID_LENGTH,
  TOKEN_PREFIX,
  type ActiveTokenEntry,
  type ApiTokenView,
  type RevokeOutcome,
} from './api-tokens.repository.js';
export { IngestLedgerRepository, jobEntryId, keyEntryId } from './ingest-ledger.repository.js';
export { DuplicateKeyError, isDuplicateKeyError, isTransientMongoError } from './errors.js';
