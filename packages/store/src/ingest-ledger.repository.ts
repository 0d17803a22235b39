import { randomUUID } from 'node:crypto';
import { ledgerKeyId } from '@tally/contracts';
import type { ClientSession, Collection, Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

interface LedgerDocument {
  _id: string;
  at: Date;
  /**
   * `split`: the job (or part of one) failed deterministically and is applied in halves instead.
   * `jobs`: several jobs applied together in one transaction (worker group commit).
   */
  kind: 'job' | 'key' | 'split' | 'jobs';
  /**
   * The jobs (or parts) this entry stands for, under a unique multikey index: a job can be
   * recorded once, whether alone, split or among others. Entries written before group commit
   * lack it and are found by `_id`.
   */
  jobs?: string[];
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

const JOB_PREFIX = 'job:';
export const jobEntryId = (jobId: string): string => `${JOB_PREFIX}${jobId}`;
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
    return (await this.jobStates([jobId], session)).get(jobId) ?? 'unknown';
  }

  /**
   * The state of each job, in two indexed reads: its own entry by `_id`, and any entry naming it
   * in `jobs` (applied together with others). Jobs the ledger does not know are absent.
   */
  async jobStates(jobIds: string[], session?: ClientSession): Promise<Map<string, JobLedgerState>> {
    const states = new Map<string, JobLedgerState>();
    if (jobIds.length === 0) return states;
    const options = { projection: { kind: 1, jobs: 1 }, ...(session ? { session } : {}) };
    const own = await this.collection.find({ _id: { $in: jobIds.map(jobEntryId) } }, options).toArray();
    for (const entry of own) states.set(entry._id.slice(JOB_PREFIX.length), entry.kind === 'split' ? 'split' : 'applied');
    const wanted = new Set(jobIds.filter((id) => !states.has(id)));
    if (wanted.size === 0) return states;
    const together = await this.collection.find({ jobs: { $in: [...wanted] } }, options).toArray();
    for (const entry of together) for (const id of entry.jobs ?? []) if (wanted.has(id)) states.set(id, 'applied');
    return states;
  }

  /**
   * Records that a job is applied in parts from now on. It takes the job's own ledger id, so a
   * job can never be both applied whole and split: whichever insert comes second fails. Answers
   * the state that holds afterwards (`applied` if another worker applied it whole first).
   */
  async markSplit(jobId: string): Promise<JobLedgerState> {
    try {
      await this.collection.insertOne({ _id: jobEntryId(jobId), at: new Date(), kind: 'split', jobs: [jobId] });
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
    await this.collection.insertMany([{ _id: job, at, kind: 'job', jobs: [jobId] }, ...keyDocuments(job, keys, at)], {
      ordered: true,
      ...(session ? { session } : {}),
    });
  }

  /**
   * Records jobs applied together in one transaction, with the keys each applied, as ONE entry
   * naming them all (plus one per key): the ledger then costs one write per transaction, not one
   * per job. A job recorded before, in any form, raises E11000 (or a write conflict) and aborts
   * the transaction.
   */
  async recordTogether(jobs: { jobId: string; keys: LedgerKey[] }[], session?: ClientSession): Promise<void> {
    const at = new Date();
    const entry: LedgerDocument = { _id: `jobs:${randomUUID()}`, at, kind: 'jobs', jobs: jobs.map((j) => j.jobId) };
    const keys = jobs.flatMap((j) => keyDocuments(jobEntryId(j.jobId), j.keys, at));
    await this.collection.insertMany([entry, ...keys], { ordered: true, ...(session ? { session } : {}) });
  }
}

/** Key entries, each naming the job that applied it (to trace a replay back to the first request). */
function keyDocuments(job: string, keys: (string | LedgerKey)[], at: Date): LedgerDocument[] {
  return keys.map((k): LedgerDocument => {
    const { id, fingerprint } = typeof k === 'string' ? { id: k, fingerprint: undefined } : k;
    return { _id: id, at, kind: 'key', job, ...(fingerprint !== undefined ? { fingerprint } : {}) };
  });
}
