import { randomUUID } from 'node:crypto';
import type { Summary, SummaryBatchRequest } from '@tally/contracts';
import type { Logger } from '@tally/logger';
import { JOB_CATALOG, JOBS, type Queue } from '@tally/queue';
import type { Redis } from 'ioredis';
import { Errors } from '../errors.js';
import { withTimeout } from '../support/with-timeout.js';
import type { BacklogMonitor } from './backlog-monitor.js';
import { MicroBatcher } from './micro-batcher.js';
import type { ReplayCache } from './replay-cache.js';

/** One accepted request, ready to be queued. */
export interface Submission {
  requestId: string;
  workspace: string;
  summaries: Summary[];
  /** Client Idempotency-Key (or a raw event's de-duplication key). */
  idempotencyKey?: string;
  /** Fingerprint of the request body, to tell a replay from a reused key. */
  fingerprint?: string;
}

/** What the routes need from the queue side. */
export interface Enqueuer {
  /** Resolves once the summaries are durable in Redis; throws an HttpError 503/422 otherwise. */
  submit(submission: Submission): Promise<{ replayed: boolean }>;
  /** True when Redis is connected and the backlog is under its cap. */
  readiness(): { ready: boolean; reason?: string; backlog: number };
  /** Stop accepting, flush what is gathered, wait for it. */
  drain(): Promise<void>;
}

export interface SummaryEnqueuerOptions {
  queue: Queue;
  redis: Redis;
  backlog: BacklogMonitor;
  replays: ReplayCache;
  logger: Logger;
  maxWaitMs: number;
  maxSummaries: number;
  enqueueTimeoutMs: number;
  retryAfterSeconds: number;
}

/**
 * Micro-batches accepted requests into `apply-summaries` jobs (invariant 1: a request is
 * answered 200 only after its job is in Redis). Refuses fast, with 503 and Retry-After, when
 * Redis is unreachable, the backlog is over its cap, or the process is shutting down.
 */
export class SummaryEnqueuer implements Enqueuer {
  private readonly batcher: MicroBatcher<SummaryBatchRequest>;
  private closing = false;

  constructor(private readonly options: SummaryEnqueuerOptions) {
    this.batcher = new MicroBatcher({
      maxWaitMs: options.maxWaitMs,
      maxWeight: options.maxSummaries,
      flush: (requests) => this.addJob(requests),
    });
  }

  readiness(): { ready: boolean; reason?: string; backlog: number } {
    const backlog = this.options.backlog.waiting;
    if (this.closing) return { ready: false, reason: 'shutting down', backlog };
    if (this.options.redis.status !== 'ready') return { ready: false, reason: 'queue (Redis) unreachable', backlog };
    if (this.options.backlog.overCap) return { ready: false, reason: `queue backlog over its cap (${backlog} jobs waiting)`, backlog };
    return { ready: true, backlog };
  }

  async submit(submission: Submission): Promise<{ replayed: boolean }> {
    const state = this.readiness();
    if (!state.ready) throw Errors.unavailable(`Tally cannot accept summaries right now: ${state.reason}`, this.options.retryAfterSeconds);
    const { idempotencyKey, workspace, fingerprint = '' } = submission;
    if (idempotencyKey !== undefined) {
      const seen = await this.guard(this.options.replays.lookup(workspace, idempotencyKey));
      if (seen !== null) {
        if (seen !== fingerprint) throw Errors.idempotencyKeyReused();
        return { replayed: true };
      }
    }
    await this.guard(
      this.batcher.add(
        {
          requestId: submission.requestId,
          workspace,
          summaries: submission.summaries,
          ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        },
        submission.summaries.length,
      ),
    );
    if (idempotencyKey !== undefined) {
      await this.options.replays.remember(workspace, idempotencyKey, fingerprint).catch((err: unknown) => {
        this.options.logger.warn({ err }, 'could not remember an Idempotency-Key in Redis; the ledger still deduplicates');
      });
    }
    return { replayed: false };
  }

  async drain(): Promise<void> {
    this.closing = true;
    await this.batcher.drain();
  }

  private async addJob(requests: SummaryBatchRequest[]): Promise<void> {
    const { options } = JOB_CATALOG[JOBS.applySummaries];
    // A random job id, never BullMQ's default: its default ids count up from a Redis key, which
    // restarts at 1 when Redis loses its data, and the worker's ledger (keyed by job id, kept for
    // days) would then skip every new job whose id it has already seen as applied.
    await withTimeout(
      this.options.queue.add(JOBS.applySummaries, { v: 1, requests }, { ...options, jobId: randomUUID() }),
      this.options.enqueueTimeoutMs,
      `Redis did not confirm within ${this.options.enqueueTimeoutMs} ms`,
    );
  }

  /** Any Redis failure on the way in is a 503: the client must retry, nothing was accepted. */
  private async guard<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (err) {
      this.options.logger.warn({ err }, 'enqueue failed');
      throw Errors.unavailable(`Tally could not queue the summaries: ${(err as Error).message}`, this.options.retryAfterSeconds);
    }
  }
}
