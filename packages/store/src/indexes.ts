import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

/** How long the ledger remembers job ids and idempotency keys: the dedup window. */
export const DEFAULT_LEDGER_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Creates every index Tally relies on. Idempotent: safe on every start of every replica.
 * A changed TTL is applied with collMod, because createIndexes refuses a changed option.
 * `api_tokens` needs none beyond `_id` (the token's hash): it holds a few hundred documents and
 * the ingress reads the active ones whole.
 */
export async function ensureIndexes(db: Db, options: { ledgerTtlSeconds?: number } = {}): Promise<void> {
  const ttl = options.ledgerTtlSeconds ?? DEFAULT_LEDGER_TTL_SECONDS;
  await db
    .collection(COLLECTIONS.eventSummaries)
    .createIndex({ workspace: 1, user_id: 1, event_name: 1 }, { unique: true, name: 'workspace_user_event_unique' });
  const ledger = db.collection(COLLECTIONS.ingestLedger);
  try {
    await ledger.createIndex({ at: 1 }, { expireAfterSeconds: ttl, name: 'at_ttl' });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code !== 85 && code !== 86) throw error; // IndexOptionsConflict / IndexKeySpecsConflict
    await db.command({ collMod: COLLECTIONS.ingestLedger, index: { name: 'at_ttl', expireAfterSeconds: ttl } });
  }
}
