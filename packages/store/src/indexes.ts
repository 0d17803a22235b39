import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

/** How long the ledger remembers job ids and idempotency keys: the dedup window. */
export const DEFAULT_LEDGER_TTL_SECONDS = 7 * 24 * 3600;
/** How long raw events stay listable: Intercom lists the last 90 days. */
export const DEFAULT_EVENTS_RETENTION_SECONDS = 90 * 24 * 3600;

/**
 * A TTL index on `field`. A changed TTL is applied with collMod, because createIndexes refuses a
 * changed option.
 */
async function ensureTtlIndex(db: Db, collection: string, field: string, name: string, seconds: number): Promise<void> {
  try {
    await db.collection(collection).createIndex({ [field]: 1 }, { expireAfterSeconds: seconds, name });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code !== 85 && code !== 86) throw error; // IndexOptionsConflict / IndexKeySpecsConflict
    await db.command({ collMod: collection, index: { name, expireAfterSeconds: seconds } });
  }
}

/**
 * Creates every index Tally relies on. Idempotent: safe on every start of every replica.
 * `api_tokens` needs none beyond `_id` (the token's hash): it holds a few hundred documents and
 * the ingress reads the active ones whole.
 */
export async function ensureIndexes(db: Db, options: { ledgerTtlSeconds?: number; eventsRetentionSeconds?: number } = {}): Promise<void> {
  await db
    .collection(COLLECTIONS.eventSummaries)
    .createIndex({ workspace: 1, user_id: 1, event_name: 1 }, { unique: true, name: 'workspace_user_event_unique' });
  await ensureTtlIndex(db, COLLECTIONS.ingestLedger, 'at', 'at_ttl', options.ledgerTtlSeconds ?? DEFAULT_LEDGER_TTL_SECONDS);
  // A job is recorded once, alone or among the jobs of one transaction: every job entry names
  // its jobs here (key entries have no `jobs`, hence sparse).
  await db.collection(COLLECTIONS.ingestLedger).createIndex({ jobs: 1 }, { unique: true, sparse: true, name: 'jobs_unique' });
  // The event list: one user's events, newest first, ties by id (the page cursor's order).
  await db
    .collection(COLLECTIONS.rawEvents)
    .createIndex({ workspace: 1, user_id: 1, created_at: -1, _id: -1 }, { name: 'workspace_user_created_desc' });
  await ensureTtlIndex(
    db,
    COLLECTIONS.rawEvents,
    'created_at',
    'created_at_ttl',
    options.eventsRetentionSeconds ?? DEFAULT_EVENTS_RETENTION_SECONDS,
  );
}
