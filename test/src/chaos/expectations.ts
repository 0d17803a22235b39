/** One summary as sent. */
export interface SentSummary {
  user_id: string;
  event_name: string;
  count: number;
  first: number;
  last: number;
}

interface Expected {
  /** Sum of counts answered 2xx. */
  count: number;
  /** Counts of requests that failed without an answer: they may or may not have landed. */
  ambiguous: number;
  first: number;
  last: number;
  /** first/last are exact only while no ambiguous request touched the key. */
  ambiguousTimes: boolean;
}

/**
 * What the 2xx answers promise: per (user, event), the count that must be stored, and the
 * first and last times. Requests that ended without an answer (connection reset while an
 * ingress died) widen an allowed range instead of guessing.
 */
export class Expectations {
  readonly keys = new Map<string, Expected>();
  requestsAcked = 0;
  summariesAcked = 0;

  private entry(s: SentSummary): Expected {
    const key = JSON.stringify([s.user_id, s.event_name]);
    let e = this.keys.get(key);
    if (!e) {
      e = { count: 0, ambiguous: 0, first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY, ambiguousTimes: false };
      this.keys.set(key, e);
    }
    return e;
  }

  acked(summaries: SentSummary[]): void {
    this.requestsAcked += 1;
    for (const s of summaries) {
      const e = this.entry(s);
      e.count += s.count;
      e.first = Math.min(e.first, s.first);
      e.last = Math.max(e.last, s.last);
      this.summariesAcked += s.count;
    }
  }

  unanswered(summaries: SentSummary[]): void {
    for (const s of summaries) {
      const e = this.entry(s);
      e.ambiguous += s.count;
      e.ambiguousTimes = true;
    }
  }
}

export interface Verdict {
  keys: number;
  /** Summaries promised by a 2xx and not stored. */
  lost: number;
  /** Summaries stored more often than they were sent. */
  doubleCounted: number;
  /** Keys whose count is right but whose first or last is not. */
  mismatched: number;
  examples: string[];
}

/** Compares what is stored with what was promised. */
export function verify(expected: Expectations, stored: Map<string, { count: number; first: number; last: number }>): Verdict {
  const verdict: Verdict = { keys: expected.keys.size, lost: 0, doubleCounted: 0, mismatched: 0, examples: [] };
  for (const [key, e] of expected.keys) {
    const s = stored.get(key) ?? { count: 0, first: Number.NaN, last: Number.NaN };
    if (s.count < e.count) {
      verdict.lost += e.count - s.count;
      verdict.examples.push(`${key}: stored ${s.count}, acked ${e.count}`);
    } else if (s.count > e.count + e.ambiguous) {
      verdict.doubleCounted += s.count - e.count - e.ambiguous;
      verdict.examples.push(`${key}: stored ${s.count}, sent at most ${e.count + e.ambiguous}`);
    } else if (e.count > 0 && !e.ambiguousTimes && (s.first !== e.first || s.last !== e.last)) {
      verdict.mismatched += 1;
      verdict.examples.push(`${key}: first/last ${s.first}/${s.last}, expected ${e.first}/${e.last}`);
    }
  }
  for (const key of stored.keys()) {
    if (!expected.keys.has(key)) {
      verdict.doubleCounted += stored.get(key)!.count;
      verdict.examples.push(`${key}: stored but never sent`);
    }
  }
  return verdict;
}
