/** Collection names. */
export const COLLECTIONS = {
  /** One document per workspace + user + event: count, first, last. */
  eventSummaries: 'event_summaries',
  /** Individual raw events for the event list, expired after the retention window by a TTL index. */
  rawEvents: 'raw_events',
  /** Applied job ids and client idempotency keys, expired by a TTL index. */
  ingestLedger: 'ingest_ledger',
  /** API tokens by sha256: which workspace a bearer token writes to. The token itself is never stored. */
  apiTokens: 'api_tokens',
} as const;
