/** Which users and events the load generator's requests name. */
export type Workload = 'uniform' | 'skewed';

const USERS = 5000;
const EVENTS = 20;
/** Zipf exponent: the hottest 1% of users draw about half of the traffic at s = 1.1. */
const ZIPF_S = 1.1;
const FIRST = 1_671_028_894;

/** Cumulative Zipf weights over ranks 1..n, for sampling by binary search. */
function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 1; k <= n; k += 1) {
    total += 1 / k ** s;
    cdf[k - 1] = total;
  }
  for (let i = 0; i < n; i += 1) cdf[i]! /= total;
  return cdf;
}

function sampler(workload: Workload, n: number): () => number {
  if (workload === 'uniform') return () => Math.floor(Math.random() * n);
  const cdf = zipfCdf(n, ZIPF_S);
  return () => {
    const u = Math.random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Request bodies of one summary each, the README's shape (`count: 1`, so the stored total of
 * counts equals the number of summaries applied). Uniform: 5,000 users × 20 events drawn evenly.
 * Skewed: users and events each drawn Zipf-like, so a few hot pairs take most of the traffic,
 * which is where the worker's in-memory combining pays.
 */
export function bodyGenerator(workload: Workload): () => string {
  const user = sampler(workload, USERS);
  const event = sampler(workload, EVENTS);
  return () => {
    const first = FIRST + Math.floor(Math.random() * 3600);
    return `{"user_id":"user-${user()}","event_summaries":{"event_name":"event-${event()}","count":1,"first":${first},"last":${first + 60}}}`;
  };
}
