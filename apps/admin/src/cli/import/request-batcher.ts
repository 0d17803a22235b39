import { createHash, type Hash } from 'node:crypto';
import { MAX_SUMMARIES_PER_REQUEST } from '@tally/contracts';
import type { SummaryLine } from './summary-line.js';

/** One `POST /events/summaries`: consecutive summaries of one user, under one Idempotency-Key. */
export interface ImportRequest {
  idempotencyKey: string;
  userId: string;
  summaries: SummaryLine[];
  /** The request's body, once serialised ahead of its turn (see prepareBody). */
  body?: string;
}

/** Prefix of every key an import derives, so they are recognisable in the ledger. */
export const IMPORT_KEY_PREFIX = 'tally-import';

/**
 * Names a request by its user and its place among that user's consecutive requests (0, 1, …),
 * instead of by the input's running hash: migrate's keys (see migrate.command.ts).
 */
export type RequestNamer = (userId: string, nth: number) => string;

/** Characters of input held back from the hash at most (a request's lines are far fewer). */
const UNHASHED_MAX = 1 << 20;

/**
 * Groups summaries into requests and names each one after the input that precedes it.
 *
 * The API takes one user per request, so a request is a run of consecutive lines of one user,
 * at most MAX_SUMMARIES_PER_REQUEST long (exports are sorted by user, so runs are long).
 *
 * The Idempotency-Key is `tally-import-<first line>-<sha256 of every input byte up to the
 * request's end>`: a running hash, so the input is read once (stdin works, memory stays flat),
 * and a request's key depends only on the input before and in it. Running the same input again
 * — after Ctrl-C, SIGKILL or a lost connection — derives the same keys, and the API counts
 * every request it already accepted zero more times. A different input derives different keys
 * from its first differing line on.
 */
export class RequestBatcher {
  private readonly hash: Hash = createHash('sha256');
  /**
   * Input read since the hash was last brought up to date: fed to it once per request rather
   * than once per line, which cost more than the hashing itself (same bytes, same keys).
   */
  private unhashed = '';
  private open: SummaryLine[] = [];
  /** Requests closed so far in the current user's run of lines. */
  private nth = 0;

  constructor(
    private readonly maxSize = MAX_SUMMARIES_PER_REQUEST,
    private readonly namer?: RequestNamer,
  ) {}

  /**
   * Takes the next input line's raw text and, when it is a summary, the summary; returns the
   * request this line closed, if any. Every line, read or rejected, feeds the hash.
   */
  add(text: string, summary: SummaryLine | null): ImportRequest | null {
    let closed: ImportRequest | null = null;
    if (summary !== null) {
      const first = this.open[0];
      if (first !== undefined && (first.userId !== summary.userId || this.open.length >= this.maxSize)) {
        closed = this.close();
        if (first.userId !== summary.userId) this.nth = 0;
      }
    }
    this.unhashed += `${text}\n`;
    // A long run of lines that close no request (all rejected) must not pile up in memory.
    if (this.unhashed.length > UNHASHED_MAX) this.catchUp();
    if (summary !== null) this.open.push(summary);
    return closed;
  }

  /** The last request, at the end of the input. */
  flush(): ImportRequest | null {
    return this.open.length === 0 ? null : this.close();
  }

  private catchUp(): void {
    this.hash.update(this.unhashed);
    this.unhashed = '';
  }

  private close(): ImportRequest {
    const summaries = this.open;
    this.open = [];
    this.catchUp();
    const userId = summaries[0]!.userId;
    const idempotencyKey =
      this.namer === undefined
        ? `${IMPORT_KEY_PREFIX}-${summaries[0]!.line}-${this.hash.copy().digest('base64url')}`
        : this.namer(userId, this.nth);
    this.nth++;
    return { idempotencyKey, userId, summaries };
  }
}
