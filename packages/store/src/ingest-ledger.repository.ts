import { ledgerKeyId } from '@tally/contracts';
import type { ClientSession, Collection, Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

interface LedgerDocument {
  _id: string;
  at: Date;
  kind: 'job' | 'key';
  /** For keys: the job that applied it, to trace a replay back to the first request. */
  job?: string;
  /** For keys: the fingerprint of the request first applied under it, to see a key reused for other data. */
  fingerprint?: string;
}

/** A key to record: its ledger id and, when known, the fingerprint of its request. */
export interface LedgerKey {
  id: string;
  fingerprint?: string;
}

export const jobEntryId = (jobId: string): string => `job:${jobId}`;
/** A client Idempotency-Key's ledger id (contracts' idempotency module owns every encoding). */
export const keyEntryId = (workspace: string, key: string): string => ledgerKeyId(workspace, 'key', key);

/**
 * The `ingest_ledger`: which jobs and which client idempotency keys were applied. Written in the
 * same transaction as the upserts, so "recorded" and "applied" can never disagree.
 */
export class IngestLedgerRepository {
  private readonly collection: Collection<LedgerDocument>;

  constructor(db: Db) {
    this.collection = db.collection<LedgerDocument>(COLLECTIONS.ingestLedger);
  }

  async hasJob(jobId: string, session?: ClientSession): Promise<boolean> {
    const found = await this.collection.findOne({ _id: jobEntryId(jobId) }, { projection: { _id: 1 }, ...(session ? { session } : {}) });
    return found !== null;
  }

  /** Which of these ledger ids exist already, each with its recorded fingerprint (null when none was kept). */
  async existing(ids: string[], session?: ClientSession): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const found = await this.collection
      .find({ _id: { $in: ids } }, { projection: { _id: 1, fingerprint: 1 }, ...(session ? { session } : {}) })
      .toArray();
    return new Map(found.map((d) => [d._id, d.fingerprint ?? null]));
  }

  /** Records a job and the keys it applied. A duplicate raises E11000 and aborts the transaction. */
  async record(jobId: string, keys: (string | LedgerKey)[], session?: ClientSession): Promise<void> {
    const at = new Date();
    const job = jobEntryId(jobId);
    const keyDocs = keys.map((k): LedgerDocument => {
      const { id, fingerprint } = typeof k === 'string' ? { id: k, fingerprint: undefined } : k;
      return { _id: id, at, kind: 'key', job, ...(fingerprint !== undefined ? { fingerprint } : {}) };
    });
    await this.collection.insertMany([{ _id: job, at, kind: 'job' }, ...keyDocs], {
      ordered: true,
      ...(session ? { session } : {}),
    });
  }
}
