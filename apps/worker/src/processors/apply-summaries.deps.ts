import type { Job } from '@tally/queue';
import type { EventSummariesRepository, IngestLedgerRepository, RawEventsRepository } from '@tally/store';
import type { MongoClient } from 'mongodb';

/** What the apply-summaries processor needs: MongoDB and its repositories, passed in by main.ts or a test. */
export interface ApplySummariesDeps {
  client: MongoClient;
  summaries: EventSummariesRepository;
  ledger: IngestLedgerRepository;
  /** Raw events for the event list, written in the same transaction as their counts. */
  rawEvents: RawEventsRepository;
  /** False against a standalone mongod: apply without the ledger (no exactly-once). */
  transactions: boolean;
  /**
   * At most this many summaries in one transaction shared by several jobs (worker group commit);
   * jobs are gathered up to the worker's concurrency. Default {@link DEFAULT_TRANSACTION_MAX_SUMMARIES}.
   */
  transactionMaxSummaries?: number;
  /** Called after the job's transactions committed and before BullMQ hears of it (tests inject crashes here). */
  afterCommit?: (job: Job, transactionJobs: number) => void;
  /** Called each time the driver runs a transaction again (a transient error or unknown commit result). */
  onTransactionRetry?: () => void;
}

/** Summaries per shared transaction unless configured: well inside MongoDB's transaction limits. */
export const DEFAULT_TRANSACTION_MAX_SUMMARIES = 5000;
