import { setTimeout as sleep } from 'node:timers/promises';
import type { Expectations, SentSummary } from './expectations.js';

/** What one race ended with, per body: counted in the chaos report. */
export interface KeyRaceStats {
  races: number;
  /** Races in which both bodies were answered 200: a broken promise, whatever the store holds. */
  both200: number;
  /** Bodies answered 422 (the key was taken by the other body). */
  refused422: number;
}

type Post = (body: unknown, key: string) => Promise<number | 'network-error'>;

/**
 * One Idempotency-Key sent at the same instant with two different bodies (count 1 and count
 * 100 for the same user and event), each retried like a careful client until it gets an answer
 * that is not a "try again" (409, 503, a network error). At most one body may get 200, the
 * other 422; the expectations record only the body that got 200 (and, as ambiguous, one that
 * was never answered), so the store holding the other body's count shows up as a
 * double count in the verdict.
 */
export async function raceOneKey(post: Post, tag: string, expectations: Expectations, retryForMs: number, stats: KeyRaceStats) {
  stats.races += 1;
  const key = `race-${tag}`;
  const first = 1_700_000_000 + Math.floor(Math.random() * 86_400);
  const bodies = [1, 100].map((count): SentSummary => ({ user_id: `race-${tag}`, event_name: 'raced', count, first, last: first }));
  const outcomes = await Promise.all(
    bodies.map(async (summary) => {
      const giveUpAt = performance.now() + retryForMs;
      while (performance.now() < giveUpAt) {
        const status = await post({ user_id: summary.user_id, event_summaries: summary }, key);
        if (status === 200 || status === 422) return status;
        if (status !== 'network-error' && status < 500 && status !== 409) throw new Error(`unexpected status ${status} in a key race`);
        await sleep(200 + Math.floor(Math.random() * 300));
      }
      return 'gave-up' as const;
    }),
  );
  outcomes.forEach((outcome, i) => {
    const summary = bodies[i] as SentSummary;
    if (outcome === 200) expectations.acked([summary]);
    else if (outcome === 422) stats.refused422 += 1;
    else expectations.unanswered([summary]);
  });
  if (outcomes.every((o) => o === 200)) stats.both200 += 1;
}
