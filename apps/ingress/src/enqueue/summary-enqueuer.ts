import { randomUUID } from 'node:crypto';
import type { DedupKind, Reservation, Summary, SummaryBatchRequest } from '@tally/contracts';
import { type Logger, RateLimitedLog } from '@tally/logger';
import { JOB_CATALOG, JOBS, type Queue, type RedisClient } from '@tally/queue';
import { Errors } from '../errors.js';
import { type IngressMetrics, refusalFor } from '../metrics/ingress-metrics.js';
import { withTimeout } from '../support/with-timeout.js';
import { UNAVAILABLE, type UnavailableReason } from '../unavailable-reasons.js';
import type { BacklogMonitor } from './backlog-monitor.js';
import type { IdempotencyReservations } from './idempotency-reservations.js';
import { MicroBatcher } from './micro-batcher.js';
import { waitForReplicas } from './replica-wait.js';
import { ShardRotation } from './shard-rotation.js';

/** How long a shard whose add failed is passed over while other shards take the batches. */
const SHARD_BENCH_MS = 1000;

/** One accepted request, ready to be queued. */
export interface Submission {
  requestId: string;
  workspace: string;
  summaries: Summary[];
  /** The client's Idempotency-Key and the fingerprint of its canonical request: reserved before it reaches a job. */
  clientKey?: { key: string; fingerprint: string };
  /** A raw event's Intercom de-duplication key: the ledger de-duplicates on it, whatever the client key. */
  eventKey?: string;
  /** A raw `POST /events`: its summary is also stored as an individual event (see the job schema). */
  event?: SummaryBatchRequest['event'];
}

/** Whether summaries are accepted now; `reason` is a fixed client message (see unavailable-reasons.ts). */
export interface Readiness {
  ready: boolean;
  reason?: string;
  backlog: ReturnType<BacklogMonitor['figures']>;
}

/**
 * A request in a micro-batch, and whether it may go into the job: false when its
 * Idempotency-Key reservation found the key taken or could not be made.
 */
interface Admission {
  request: SummaryBatchRequest;
  admitted: Promise<boolean>;
}

const ADMITTED = Promise.resolve(true);

/** A reservation this request made, and must complete or release. */
interface Owned {
  kind: DedupKind;
  key: string;
  fingerprint: string;
}

/**
 * How a request was answered: `replayed` when its key was held already. A key that remembers a
 * refusal judged by the clock (`refusedAt`, Unix seconds) is to be refused again, as then.
 */
export interface Outcome {
  replayed: boolean;
  refusedAt?: number;
}

/** A summaries request with an Idempotency-Key, refused when judged at `at` (Unix seconds). */
export interface Refusal {
  workspace: string;
  key: string;
  fingerprint: string;
  at: number;
  /** The refusal depends on the clock: the key must remember it. */
  byClock: boolean;
}

/** What the routes need from the queue side. */
export interface Enqueuer {
  /** Resolves once the summaries are durable in Redis; throws an HttpError 503/422/409 otherwise. */
  submit(submission: Submission): Promise<Outcome>;
  /**
   * A refused request's key: resolves `replayed: false` when the refusal is to be answered, or
   * how the key's first request was answered when it remembers one. A refusal by the clock is
   * remembered first (409/422 like submit when the key is held otherwise); any other is answered
   * as before unless the key remembers this very body refused. Throws an HttpError 503 when
   * Redis cannot answer: a refusal by the clock must not be answered unless it is remembered.
   */
  keyedRefusal(refusal: Refusal): Promise<Outcome>;
  /** True when Redis is connected and the backlog is under its caps. */
  readiness(): Readiness;
  /** Stop accepting, flush what is gathered, wait for it. */
  drain(): Promise<void>;
}

export interface SummaryEnqueuerOptions {
  /** The summaries queue's shards (QUEUE_SHARDS; one on a single unsharded Redis). */
  queues: readonly Queue[];
  redis: RedisClient;
  backlog: BacklogMonitor;
  reservations: IdempotencyReservations;
  logger: Logger;
  /** Linger before a flush that could start now (0: group commit alone). */
  lingerMs: number;
  maxSummaries: number;
  /** Job adds under way at once; requests gather behind them. */
  maxInFlight: number;
  enqueueTimeoutMs: number;
  /** Replicas that must confirm a job before its requests are answered (REDIS_WAIT_REPLICAS; 0: none). */
  waitReplicas?: number;
  /** How long WAIT may block (REDIS_WAIT_TIMEOUT_MS), within what is left of enqueueTimeoutMs. */
  waitTimeoutMs?: number;
  retryAfterSeconds: number;
  /** Absent in tests that do not look at metrics. */
  metrics?: IngressMetrics;
}

/**
 * Group-commits accepted requests into `apply-summaries` jobs (invariant 1: a request is
 * answered 200 only after its job is in Redis). Refuses fast, with 503 and Retry-After, when
 * Redis is unreachable, the backlog is over its cap, or the process is shutting down.
 */
export class SummaryEnqueuer implements Enqueuer {
  private readonly batcher: MicroBatcher<Admission>;
  private closing = false;
  private readonly rareLog: RateLimitedLog;
  private readonly shards: ShardRotation<Queue>;

  constructor(private readonly options: SummaryEnqueuerOptions) {
    this.rareLog = new RateLimitedLog(options.logger);
    this.shards = new ShardRotation(options.queues, SHARD_BENCH_MS);
    this.batcher = new MicroBatcher({
      lingerMs: options.lingerMs,
      maxWeight: options.maxSummaries,
      maxInFlight: options.maxInFlight,
      flush: (items) => this.addAdmitted(items),
    });
  }

  readiness(): Readiness {
    const backlog = this.options.backlog.figures();
    const refusal = this.refusal();
    return refusal === null ? { ready: true, backlog } : { ready: false, reason: UNAVAILABLE[refusal], backlog };
  }

  private refusal(): UnavailableReason | null {
    if (this.closing) return 'shuttingDown';
    if (this.options.redis.status !== 'ready') return 'queueUnreachable';
    return this.options.backlog.refusal();
  }

  /**
   * Reserve, then batch. A client key is reserved before the request reaches a job, so a
   * concurrent request with the same key never reaches a job: same body while the first is
   * pending → 409 with Retry-After, same body once done → replayed, other body → 422. A raw
   * event's key is reserved too; a repeat of a done event is replayed, a repeat racing a pending
   * one is queued anyway (the worker's ledger keeps one). A reservation that cannot be made is a
   * 503: without it no promise can be kept.
   */
  async submit(submission: Submission): Promise<Outcome> {
    const refusal = this.refusal();
    if (refusal !== null) throw Errors.unavailable(UNAVAILABLE[refusal], this.options.retryAfterSeconds, refusalFor(refusal));
    // One workspace's flood is refused before it fills the backlog everyone shares.
    if (this.options.backlog.overShare(submission.workspace)) throw Errors.workspaceBacklog(this.options.retryAfterSeconds);
    const { clientKey, eventKey } = submission;
    if (clientKey !== undefined && eventKey === undefined) return this.submitKeyed(submission, clientKey);
    const { workspace, requestId } = submission;
    const reservations = this.options.reservations;
    // Owned before the reserve is answered: a reserve that timed out may still be carried out by
    // Redis, and must be released like one that succeeded (release only removes our own mark).
    const owned: Owned[] = [];
    const reserve = async (kind: DedupKind, key: string, fingerprint: string) => {
      const mine = { kind, key, fingerprint };
      owned.push(mine);
      const prior = await this.guard(reservations.reserve(workspace, kind, key, fingerprint, requestId));
      if (prior !== null) owned.splice(owned.indexOf(mine), 1);
      return prior;
    };
    try {
      if (clientKey !== undefined) {
        const prior = await reserve('key', clientKey.key, clientKey.fingerprint);
        if (prior !== null) return this.answerAsBefore(prior, clientKey.fingerprint);
      }
      if (eventKey !== undefined) {
        const prior = await reserve('event', eventKey, eventKey);
        if (prior?.state === 'done') {
          await this.complete(workspace, owned);
          return { replayed: true };
        }
      }
      await this.guard(this.batcher.add({ request: this.batchRequest(submission), admitted: ADMITTED }, submission.summaries.length));
    } catch (error) {
      this.release(workspace, owned, requestId);
      throw error;
    }
    await this.complete(workspace, owned);
    this.options.metrics?.summariesAccepted(submission.summaries.length);
    return { replayed: false };
  }

  /**
   * A summaries request with an Idempotency-Key: the same rules, pipelined. The reservation is
   * sent and the request joins the gathering batch at once; the batch's flush waits for its
   * requests' reservations and adds only those that won theirs, so a request whose key is
   * taken still never reaches a job. Under load the reservation is answered while the request
   * waits for the add in flight, instead of before it starts waiting: one write (an fsync under
   * appendfsync always) less on every keyed request's path. The done mark is not awaited either:
   * the request is durable once its job is added. A retry through this replica is sent after the
   * mark on the same connection, so it is replayed; one through another replica meanwhile gets
   * 409 and tries again.
   */
  private async submitKeyed(submission: Submission, { key, fingerprint }: { key: string; fingerprint: string }): Promise<Outcome> {
    const { workspace, requestId } = submission;
    // Owned from the start: a reserve that timed out may still be carried out by Redis.
    const owned: Owned[] = [{ kind: 'key', key, fingerprint }];
    const reserved = this.guard(this.options.reservations.reserve(workspace, 'key', key, fingerprint, requestId));
    const admitted = reserved.then(
      (prior) => prior === null,
      () => false,
    );
    const added = this.batcher.add({ request: this.batchRequest(submission), admitted }, submission.summaries.length);
    let prior: Awaited<typeof reserved>;
    try {
      prior = await reserved;
    } catch (error) {
      added.catch(() => {}); // left out of its batch; how that batch fares is not this request's answer
      this.release(workspace, owned, requestId);
      throw error;
    }
    if (prior !== null) {
      added.catch(() => {});
      return this.answerAsBefore(prior, fingerprint);
    }
    try {
      await this.guard(added);
    } catch (error) {
      this.release(workspace, owned, requestId);
      throw error;
    }
    void this.complete(workspace, owned);
    this.options.metrics?.summariesAccepted(submission.summaries.length);
    return { replayed: false };
  }

  /**
   * Not gated on readiness: a refusal queues nothing, so a full backlog or a shutdown is no
   * reason to withhold its answer, while a Redis that cannot remember it is (503, the client
   * retries). A refusal the clock has no part in leaves the key as it is, free for a corrected
   * body, unless the key remembers this very body refused by the clock (it had lines too far
   * ahead then, and is bad in itself too): then it is answered as then.
   */
  async keyedRefusal({ workspace, key, fingerprint, at, byClock }: Refusal): Promise<Outcome> {
    const { reservations } = this.options;
    if (!byClock) {
      const held = await this.guard(reservations.peek(workspace, key));
      return held?.state === 'refused' && held.fingerprint === fingerprint ? this.answerAsBefore(held, fingerprint) : { replayed: false };
    }
    const prior = await this.guard(reservations.refuse(workspace, key, fingerprint, at));
    return prior === null ? { replayed: false } : this.answerAsBefore(prior, fingerprint);
  }

  /** A repeat of a key already held is answered as its first request was (or 409/422). */
  private answerAsBefore(prior: Reservation, fingerprint: string): Outcome {
    if (prior.fingerprint !== fingerprint) throw Errors.idempotencyKeyReused();
    if (prior.state === 'pending') throw Errors.idempotencyKeyInFlight(1);
    this.options.metrics?.replayed();
    return prior.state === 'refused' ? { replayed: true, refusedAt: prior.at } : { replayed: true };
  }

  /**
   * The add failed: forget this request's pending reservations. Not awaited: the 503 must not
   * wait a second command timeout on a hung Redis. The release is sent before any retry's
   * reserve on the same connection, so Redis runs it first.
   */
  private release(workspace: string, owned: Owned[], requestId: string): void {
    for (const o of owned) {
      this.options.reservations.release(workspace, o.kind, o.key, o.fingerprint, requestId).catch((err: unknown) => {
        // The pending mark expires by itself (pendingTtlMs, seconds); until then a retry gets 409.
        this.rareLog.warn('release-failed', { err }, 'could not release an idempotency reservation after a failed add');
      });
    }
  }

  /** The job's view of a request: the key the ledger de-duplicates on, in its namespace. */
  private batchRequest({ requestId, workspace, summaries, clientKey, eventKey, event }: Submission): SummaryBatchRequest {
    // Assigned, not spread: once per request, and the spreads showed in the keyed path's profile.
    const request: SummaryBatchRequest = { requestId, workspace, summaries };
    if (event !== undefined) request.event = event;
    if (eventKey !== undefined) {
      request.idempotencyKey = eventKey;
      request.keyKind = 'event';
      request.fingerprint = eventKey;
    } else if (clientKey !== undefined) {
      request.idempotencyKey = clientKey.key;
      request.fingerprint = clientKey.fingerprint;
    }
    return request;
  }

  /**
   * Marks reservations done. The request is durable by now, so a failure here is no reason to
   * refuse it: the pending mark expires, and a later repeat is caught by the worker's ledger.
   */
  private async complete(workspace: string, owned: Owned[]): Promise<void> {
    await Promise.all(
      owned.map((o) =>
        this.options.reservations.complete(workspace, o.kind, o.key, o.fingerprint).catch((err: unknown) => {
          this.rareLog.warn('complete-failed', { err }, 'could not mark an idempotency reservation done; the ledger still deduplicates');
        }),
      ),
    );
  }

  async drain(): Promise<void> {
    this.closing = true;
    await this.batcher.drain();
  }

  /** One batch's flush: the requests that won their reservations, as one job (none: nothing to add). */
  private async addAdmitted(items: Admission[]): Promise<void> {
    const admitted = await Promise.all(items.map((item) => item.admitted));
    const requests = items.filter((_, i) => admitted[i]).map((item) => item.request);
    if (requests.length > 0) await this.addJob(requests);
  }

  /**
   * Adds one job to a shard, trying the others (healthy first) when an add fails, all within
   * ENQUEUE_TIMEOUT_MS (one shard: the whole of it, as before sharding). The job id is drawn once for every try: an add that timed out may still
   * land, and the worker's ledger, keyed by job id, then applies the batch once whichever shard
   * runs it.
   */
  private async addJob(requests: SummaryBatchRequest[]): Promise<void> {
    const { options } = JOB_CATALOG[JOBS.applySummaries];
    // A random job id, never BullMQ's default: its default ids count up from a Redis key, which
    // restarts at 1 when Redis loses its data, and the worker's ledger (keyed by job id, kept for
    // days) would then skip every new job whose id it has already seen as applied.
    const jobId = randomUUID();
    const started = performance.now();
    const deadline = started + this.options.enqueueTimeoutMs;
    let lastError: unknown;
    try {
      const order = this.shards.order();
      for (const [tried, queue] of order.entries()) {
        // Each shard still to try gets an equal part of what is left: a hung primary must not
        // use up the whole deadline before the healthy shards are asked.
        const left = Math.floor((deadline - performance.now()) / (order.length - tried));
        if (left <= 0) break;
        try {
          await withTimeout(
            queue.add(JOBS.applySummaries, { v: 1, requests }, { ...options, jobId }),
            left,
            `Redis did not confirm within ${this.options.enqueueTimeoutMs} ms`,
          );
          // A job its replicas did not confirm may vanish in a failover: not an acknowledgement.
          // The next shard may still confirm it (the shared job id keeps it applied once).
          const replicas = this.options.waitReplicas ?? 0;
          if (replicas > 0) {
            const waitMs = Math.min(this.options.waitTimeoutMs ?? 100, deadline - performance.now());
            await waitForReplicas(this.options.redis, queue.toKey('wait'), replicas, waitMs);
          }
        } catch (error) {
          lastError = error;
          this.shards.failed(queue);
          continue;
        }
        this.shards.succeeded(queue);
        // Off the answer's path: a lost increment only under-counts until the queue next drains.
        this.options.backlog.added(queue, { requests });
        return;
      }
    } finally {
      this.options.metrics?.batchQueued(requests.length, (performance.now() - started) / 1000);
    }
    throw lastError ?? new Error(`Redis did not confirm within ${this.options.enqueueTimeoutMs} ms`);
  }

  /** Any Redis failure on the way in is a 503: the client must retry, nothing was accepted. */
  private async guard<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (err) {
      const errorId = randomUUID();
      // Every refusal's reference is findable at debug; warnings are limited, since an outage
      // refuses every request and would otherwise flood the log.
      this.options.logger.debug({ err, errorId }, 'enqueue failed');
      this.rareLog.warn('enqueue-failed', { err, errorId }, 'enqueue failed');
      throw Errors.unavailable(`${UNAVAILABLE.enqueueFailed} (reference ${errorId})`, this.options.retryAfterSeconds, 'redis');
    }
  }
}
