import type { ErrorList, IntercomError } from '@tally/contracts';
import { type ApiResponse, type HttpApi, NetworkError } from '../http/api-client.js';
import { pause, RETRYABLE_STATUSES, retryDelayMs } from '../http/retry-policy.js';
import { type Attempt, type RequestOutcome, sendDroppingBadItems } from './drop-bad-items.js';
import type { ImportRequest } from './request-batcher.js';
import type { SummaryLine } from './summary-line.js';

/**
 * The import cannot go on (the token is refused, the API stays down): stop, report, exit 1.
 * `remedy` is what the user must change before a re-run can get further (`check --token`);
 * without one, running the same command again is the remedy (the API came back).
 */
export class ImportAborted extends Error {
  override name = 'ImportAborted';

  constructor(
    message: string,
    readonly remedy?: string,
  ) {
    super(message);
  }
}

/** How a request is sent: over HTTP here, or checked locally by `--dry-run`. */
export type RequestSender = (request: ImportRequest) => Promise<RequestOutcome>;

/** The body of one request: Intercom's batch form, items exactly as the input gave them. */
export function requestBody(userId: string, summaries: SummaryLine[]): { user_id: string; event_summaries: unknown[] } {
  return { user_id: userId, event_summaries: summaries.map((s) => (typeof s.item === 'string' ? JSON.parse(s.item) : s.item)) };
}

/**
 * `JSON.stringify(requestBody(…))`, the same text, written from the items' own JSON where a line
 * gave it (the common case, a file in the export's shape) rather than parsing it back first.
 */
export function serialiseBody(userId: string, summaries: SummaryLine[]): string {
  const items = summaries.map((s) => (typeof s.item === 'string' ? s.item : JSON.stringify(s.item)));
  return `{"user_id":${JSON.stringify(userId)},"event_summaries":[${items.join(',')}]}`;
}

/**
 * Serialises a request's body while it waits for a free slot, so a slot that frees up is
 * filled by writing bytes, not by serialising first: the next request leaves as soon as an
 * answer arrives, and the ingress's next batch is as full as it would be with ready-made bodies.
 */
export function prepareBody(request: ImportRequest): void {
  request.body ??= serialiseBody(request.userId, request.summaries);
}

export interface HttpSenderOptions {
  /** How long one request may keep being refused (429, 503, no connection) before the import stops. */
  retryDeadlineMs: number;
  /** Called on every refusal that will be retried, with its reason, for the progress line. */
  onRefusal?: (reason: string) => void;
  /** Ctrl-C: stop waiting between tries. */
  signal?: AbortSignal;
}

/**
 * Posts requests to `POST /events/summaries` with their Idempotency-Key, retrying whatever
 * counted nothing (429, 503, 409 while an earlier try of the same key is still in flight, a lost
 * connection) and honouring Retry-After. A retry is always safe: the key makes the API count a
 * request once however often it arrives. A resend after dropping bad items is a different body,
 * so it gets a key of its own, derived from the first (`<key>.1`) and so the same on a re-run.
 */
export function httpSender(client: HttpApi, options: HttpSenderOptions): RequestSender {
  return (request) =>
    sendDroppingBadItems(request.summaries, (summaries, round) =>
      post(
        client,
        round === 0 ? request.idempotencyKey : `${request.idempotencyKey}.${round}`,
        // A resend without the bad items is another body.
        round === 0 && request.body !== undefined ? request.body : serialiseBody(request.userId, summaries),
        summaries,
        options,
      ),
    );
}

async function post(client: HttpApi, key: string, body: string, summaries: SummaryLine[], options: HttpSenderOptions): Promise<Attempt> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    let response: ApiResponse | null = null;
    let lastProblem: string;
    try {
      response = await client.request('POST', '/events/summaries', { body, headers: { 'idempotency-key': key } });
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      lastProblem = error.message;
    }
    if (response !== null) {
      if (response.status >= 200 && response.status < 300)
        return { ok: true, replayed: response.headers['idempotent-replayed'] === 'true' };
      if (response.status === 401 || response.status === 403) {
        throw new ImportAborted(`the API refused the token (${response.status}: ${errorsOf(response)[0]?.message})`, 'check --token');
      }
      // The API answers this route with 200, 4xx about the body, 429 or 503; never 404 or 405.
      // Those mean something else is at that URL: every line would be rejected for it.
      if (response.status === 404 || response.status === 405) {
        throw new ImportAborted(
          `no Tally API at ${client.baseUrl}: POST ${client.urlOf('/events/summaries')} answered ${response.status}`,
          "check --url (the API's base URL)",
        );
      }
      if (!RETRYABLE_STATUSES.has(response.status)) return { ok: false, errors: errorsOf(response) };
      lastProblem = `${response.status} ${errorsOf(response)[0]?.message ?? ''}`.trim();
    }
    if (options.signal?.aborted) throw new ImportAborted('interrupted');
    options.onRefusal?.(lastProblem!);
    const retryAfter = response?.headers['retry-after'];
    const delay = retryDelayMs(attempt, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    if (Date.now() - started + delay > options.retryDeadlineMs) {
      throw new ImportAborted(
        `${lineRange(summaries[0]!.line, summaries.at(-1)!.line)} refused for ${Math.round((Date.now() - started) / 1000)} s ` +
          `(${attempt} tries, last: ${lastProblem!})`,
      );
    }
    await pause(delay, options.signal);
  }
}

/** `line 4 was`, `lines 4–9 were`. */
function lineRange(first: number, last: number): string {
  return first === last ? `line ${first} was` : `lines ${first}–${last} were`;
}

/** The errors of an `error.list` body, or one error standing for a body that is not one. */
function errorsOf(response: ApiResponse): IntercomError[] {
  try {
    const parsed = JSON.parse(response.body) as Partial<ErrorList>;
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) return parsed.errors;
  } catch {
    // not JSON: described below
  }
  return [{ code: `http_${response.status}`, message: `HTTP ${response.status}: ${response.body.slice(0, 200) || '(empty body)'}` }];
}
