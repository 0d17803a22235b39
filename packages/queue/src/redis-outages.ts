import type { EventEmitter } from 'node:events';

/**
 * Reports a Redis connection's outages once each: `onDown` at the first reconnect attempt, not at
 * every one (ioredis retries about twice a second, which buried everything else in the log), and
 * `onUp` when the connection is ready again, the first time included.
 */
export function reportRedisOutages(redis: EventEmitter, report: { onDown: () => void; onUp: () => void }): void {
  let down = false;
  redis.on('ready', () => {
    down = false;
    report.onUp();
  });
  redis.on('reconnecting', () => {
    if (down) return;
    down = true;
    report.onDown();
  });
}
