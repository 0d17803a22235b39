import type { Queue } from '@tally/queue';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

/** The 503 body every queue-backed route answers while Redis cannot be reached. */
export const REDIS_UNAVAILABLE = { error: 'redis_unavailable', message: 'Redis cannot be reached; try again shortly' } as const;

/**
 * An onRequest hook for the routes that read the queue: 503 unless the connection of every shard
 * is up within `timeoutMs` (the views read them all). BullMQ waits for a connection that has never been established instead
 * of failing the command, so without this a page opened while Redis is down would hang until
 * the browser gives up. Once connected, commands fail fast by themselves (operatorConnection).
 */
export function requireQueues(queues: readonly Queue[], timeoutMs: number): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([
        Promise.all(queues.map((queue) => queue.waitUntilReady())).then(
          () => 'ready' as const,
          () => 'timeout' as const,
        ),
        deadline,
      ]);
      if (outcome === 'ready') return;
    } finally {
      clearTimeout(timer);
    }
    request.log.warn({ timeoutMs }, 'redis unavailable');
    return reply.code(503).header('retry-after', '2').send(REDIS_UNAVAILABLE);
  };
}
