/** How much work a job carries: requests (HTTP calls) and the summaries inside them. */
export interface PayloadSize {
  /** null when the payload has no `requests` array (a malformed job). */
  requests: number | null;
  /** null when `requests` is null; requests without a `summaries` array count as zero. */
  summaries: number | null;
}

/**
 * Measures an `apply-summaries` payload without trusting it. The dead-letter set is exactly
 * where malformed payloads end up, so this never assumes the schema held: an operator must be
 * able to list a job whose data is `null` or a string.
 */
export function payloadSize(data: unknown): PayloadSize {
  const requests = isRecord(data) && Array.isArray(data.requests) ? (data.requests as unknown[]) : null;
  if (requests === null) return { requests: null, summaries: null };
  let summaries = 0;
  for (const request of requests) {
    if (isRecord(request) && Array.isArray(request.summaries)) summaries += request.summaries.length;
  }
  return { requests: requests.length, summaries };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
