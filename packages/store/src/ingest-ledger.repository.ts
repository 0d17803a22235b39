import { ledgerKeyId } from '@tally/contracts';
import type { ClientSession, Collection, Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

interface LedgerDocument {
  _id: string;
  at: Date;
  /** `split`: the job (or part of one) failed deterministically and is applied in halves instead. */
  kind: 'job' | 'key' | 'split';
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

export type JobLedgerState = 'applied' | 'split' | 'unknown';

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
    return (await this.jobState(jobId, session)) === 'applied';
  }

  /** Whether a job (or part of one) was applied, was split into parts, or is unknown. */
  async jobState(jobId: string, session?: ClientSession): Promise<JobLedgerState> {
    const found = await this.collection.findOne({ _id: jobEntryId(jobId) }, { projection: { kind: 1 }, ...(session ? { session } : {}) });
    if (found === null) return 'unknown';
    return found.kind === 'split' ? 'split' : 'applied';
  }

  /**
   * Records that a job is applied in parts from now on. It takes the job's own ledger id, so a
   * job can never be both applied whole and split: whichever insert comes second fails. Answers
   * the state that holds afterwards (`applied` if another worker applied it whole first).
   */
  async markSplit(jobId: string): Promise<JobLedgerState> {
    try {
      await this.collection.insertOne({ _id: jobEntryId(jobId), at: new Date(), kind: 'split' });
      return 'split';
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return this.jobState(jobId);
    }
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
