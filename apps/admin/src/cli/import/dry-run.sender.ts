import { parseSummariesBody } from '@tally/contracts';
import { sendDroppingBadItems } from './drop-bad-items.js';
import { type RequestSender, requestBody } from './summaries-sender.js';

/**
 * `--dry-run`: every request is judged by the very function the ingress validates with, batch
 * for batch, and nothing leaves the machine. What it rejects, the API would have rejected.
 */
export function dryRunSender(nowSeconds: () => number = () => Math.floor(Date.now() / 1000)): RequestSender {
  return (request) =>
    sendDroppingBadItems(request.summaries, async (summaries) => {
      const parsed = parseSummariesBody(requestBody(request.userId, summaries), nowSeconds());
      return parsed.ok ? { ok: true } : { ok: false, errors: parsed.errors };
    });
}
