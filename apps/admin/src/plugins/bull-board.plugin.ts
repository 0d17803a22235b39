import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from '@tally/queue';
import type { FastifyInstance } from 'fastify';

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
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
