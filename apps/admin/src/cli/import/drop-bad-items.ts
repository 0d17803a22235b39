import type { IntercomError } from '@tally/contracts';
import type { RejectedLine, SummaryLine } from './summary-line.js';

/** What became of one request's lines. */
export interface RequestOutcome {
  accepted: number;
  /**
   * Of the accepted, those the API had counted already: it answered their key from its memory
   * (`Idempotent-Replayed`), so an earlier run, or an earlier try, sent them.
   */
  replayed?: number;
  rejected: RejectedLine[];
}

/** One try at a request: accepted (`replayed` when the API had counted it already), or refused with the API's errors. */
export type Attempt = { ok: true; replayed?: boolean } | { ok: false; errors: IntercomError[] };

const ITEM_FIELD = /^event_summaries\[(\d+)\]\.?/;

/**
 * Sends a request and, when it is refused for some of its items, rejects those lines and sends
 * the rest again: one bad line in a batch of 1,000 must not cost the other 999. The API names
 * the item (`event_summaries[7].count`); an error that names no item (`user_id`) belongs to every
 * line. The ingress validates in two passes (shape, then first/last against the clock), so a
 * resend can reveal more bad items: the loop goes on until a try succeeds or no line is left.
 * `round` tells the caller how many resends came before, to derive a fresh Idempotency-Key.
 */
export async function sendDroppingBadItems(
  summaries: SummaryLine[],
  attempt: (summaries: SummaryLine[], round: number) => Promise<Attempt>,
): Promise<RequestOutcome> {
  const rejected: RejectedLine[] = [];
  let rest = summaries;
  for (let round = 0; rest.length > 0; round++) {
    const result = await attempt(rest, round);
    if (result.ok) return { accepted: rest.length, replayed: result.replayed === true ? rest.length : 0, rejected };
    const split = splitByItem(result.errors, rest);
    rejected.push(...split.rejected);
    rest = split.rest;
  }
  return { accepted: 0, replayed: 0, rejected };
}

/** The lines the errors name, each with its own errors, and the lines they do not. */
export function splitByItem(errors: IntercomError[], summaries: SummaryLine[]): { rejected: RejectedLine[]; rest: SummaryLine[] } {
  const byIndex = new Map<number, IntercomError[]>();
  for (const error of errors) {
    const match = ITEM_FIELD.exec(error.field ?? '');
    const index = match === null ? -1 : Number(match[1]);
    if (index < 0 || index >= summaries.length) {
      return { rejected: summaries.map(({ line, text }) => ({ line, text, errors })), rest: [] };
    }
    byIndex.set(index, [...(byIndex.get(index) ?? []), asLineError(error)]);
  }
  return {
    rejected: [...byIndex].map(([index, lineErrors]) => ({
      line: summaries[index]!.line,
      text: summaries[index]!.text,
      errors: lineErrors,
    })),
    rest: summaries.filter((_, index) => !byIndex.has(index)),
  };
}

/**
 * `event_summaries[7].count: must be an integer` becomes `count: must be an integer`: the index
 * is a position in a request the user never saw, while the line number says where to look.
 */
function asLineError(error: IntercomError): IntercomError {
  const strip = (text: string) => text.replace(ITEM_FIELD, '');
  const field = error.field === undefined ? undefined : strip(error.field);
  return { ...error, message: strip(error.message), ...(field ? { field } : {}) };
}
