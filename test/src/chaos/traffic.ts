import { setTimeout as sleep } from 'node:timers/promises';
import type { Expectations, SentSummary } from './expectations.js';

export interface TrafficOptions {
  /** Live ingress base URLs; the list changes while ingresses restart. */
  urls: () => string[];
  token: string;
  clients: number;
  durationMs: number;
  expectations: Expectations;
  /** How long one request is retried before the client gives up on it. */
  retryForMs: number;
}

export interface TrafficStats {
  sent: number;
  refused503: number;
  networkErrors: number;
  gaveUp: number;
  duplicatesSent: number;
}

const rand = (n: number) => Math.floor(Math.random() * n);

function makeSummaries(keyless: boolean): { user_id: string; items: SentSummary[] } {
  const user_id = `${keyless ? 'nokey' : 'user'}-${rand(200)}`;
  const size = Math.random() < 0.2 ? 3 : 1;
  const items = Array.from({ length: size }, () => {
    const first = 1_700_000_000 + rand(86_400);
    return { user_id, event_name: `event-${rand(5)}`, count: 1 + rand(5), first, last: first + rand(3600) };
  });
  return { user_id, items };
}

/**
 * Concurrent clients sending summaries while faults happen. Most requests carry an
 * Idempotency-Key and are retried until acknowledged (what a careful client does); some are
 * sent twice on purpose with the same key; some carry no key and are never retried, so a
 * failure leaves them ambiguous rather than guessed.
 */
export async function runTraffic(options: TrafficOptions, stats: TrafficStats): Promise<void> {
  const deadline = performance.now() + options.durationMs;
  const post = async (body: unknown, key?: string): Promise<number | 'network-error'> => {
    const urls = options.urls();
    const url = urls[rand(urls.length)];
    stats.sent += 1;
    try {
      const res = await fetch(`${url}/events/summaries`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      if (res.status === 503) stats.refused503 += 1;
      return res.status;
    } catch {
      stats.networkErrors += 1;
      return 'network-error';
    }
  };

  const client = async (id: number) => {
    let n = 0;
    while (performance.now() < deadline) {
      n += 1;
      const roll = Math.random();
      const keyless = roll < 0.2;
      const duplicate = !keyless && roll > 0.9;
      const { user_id, items } = makeSummaries(keyless);
      const body = { user_id, event_summaries: items.length === 1 ? items[0] : items };
      if (keyless) {
        const status = await post(body);
        if (status === 200) options.expectations.acked(items);
        else if (status === 'network-error' || status >= 500) options.expectations.unanswered(items);
        continue;
      }
      const key = `chaos-${id}-${n}-${Math.random().toString(36).slice(2)}`;
      if (duplicate) {
        stats.duplicatesSent += 1;
        void post(body, key); // the deliberate duplicate, racing the first
      }
      const giveUpAt = performance.now() + options.retryForMs;
      let acked = false;
      while (!acked && performance.now() < giveUpAt) {
        const status = await post(body, key);
        if (status === 200) acked = true;
        // 409: the racing duplicate holds the key and is still on its way in (Retry-After: 1).
        else if (status === 'network-error' || status >= 500 || status === 409) await sleep(200 + rand(300));
        else throw new Error(`unexpected status ${status} for a valid request`);
      }
      if (acked) options.expectations.acked(items);
      else {
        stats.gaveUp += 1;
        options.expectations.unanswered(items);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, id) => client(id)));
}
