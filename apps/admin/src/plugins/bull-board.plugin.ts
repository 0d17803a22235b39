import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from '@tally/queue';
import type { FastifyInstance } from 'fastify';

/**
 * Bull Board's page links Google Fonts: every visit to a self-hosted admin would tell a third
 * party who looks at the queue, and when. The link is removed; the page falls back to the
 * browser's sans-serif and monospace fonts (its CSS names them after the web fonts).
 */
const THIRD_PARTY_LINK = /<link[^>]+href="https?:\/\/fonts\.(?:googleapis|gstatic)\.com[^"]*"[^>]*>\s*/g;

/** The page without links to third-party assets. */
export function withoutThirdPartyAssets(html: string): string {
  return html.replace(THIRD_PARTY_LINK, '');
}

/** Where Bull Board is mounted. */
export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board for the given queues at {@link BULL_BOARD_PATH}: its page, its JSON API and its
 * static assets. Registered as an encapsulated plugin because the adapter installs its own error
 * handler, view engine and static server, which must not leak onto the operator API.
 */
export async function bullBoardPlugin(app: FastifyInstance, { queues }: { queues: readonly Queue[] }) {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    // Retrying from the board is safe for the same reason `tally dlq retry` is: the worker's
    // ingest ledger applies a job at most once.
    queues: queues.map((queue) => new BullMQAdapter(queue, { description: 'micro-batches of event summaries → MongoDB' })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Tally', hideDocsLink: true } },
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    return html && typeof payload === 'string' ? withoutThirdPartyAssets(payload) : payload;
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
