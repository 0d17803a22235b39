import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { reportRedisOutages } from './redis-outages.js';

describe('reportRedisOutages', () => {
  it('reports each outage once, however many reconnect attempts it takes, and each recovery', () => {
    const redis = new EventEmitter();
    const seen: string[] = [];
    reportRedisOutages(redis, { onDown: () => seen.push('down'), onUp: () => seen.push('up') });
    for (const event of ['ready', 'reconnecting', 'reconnecting', 'reconnecting', 'ready', 'reconnecting', 'reconnecting'])
      redis.emit(event);
    expect(seen).toEqual(['up', 'down', 'up', 'down']);
  });
});
