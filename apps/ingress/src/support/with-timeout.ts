/**
 * Rejects with `message` if `promise` has not settled within `ms`. The operation itself is not
 * cancelled; the caller just stops waiting for it (and answers 503 instead of hanging).
 *
 * When the timer fires, one poll phase passes before the rejection: after an event loop stall
 * longer than `ms`, Node runs expired timers before it reads the sockets, and a reply that had
 * already arrived would otherwise lose to its own deadline (see @tally/queue's
 * stall-aware-timeout.ts, which does the same for ioredis's command timeout).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      immediate = setImmediate(() => reject(new Error(message)));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
    clearImmediate(immediate);
  });
}
