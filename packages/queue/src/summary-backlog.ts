import type { Redis } from 'ioredis';
import type { RedisClient } from './redis-target.js';

/**
 * The backlog in summaries, per workspace: a Redis hash beside the queue's own keys
 * (`<prefix>:summaries:summary-backlog`, workspace → summaries queued and not yet applied).
 * The ingress adds a job's summaries once its add succeeded; the worker removes them when the
 * job leaves the queue (completed, or in the failed set). Reading it is one HGETALL, where
 * measuring would mean reading every waiting job's payload.
 *
 * A counter kept by two processes can drift when one dies between its two writes (a job
 * completed but not yet subtracted, an add whose increment failed). {@link readSummaryBacklog}
 * therefore resets it whenever the queue holds no job at all, so drift never outlives one
 * drained backlog. A worker may subtract a job before the ingress's add of it arrives (the job
 * ran in under one round trip): the field goes negative for that moment and back to zero, so
 * readers clamp at zero, and a field is deleted when it reaches exactly zero.
 */
export const SUMMARY_BACKLOG_SUFFIX = 'summary-backlog';

/** Summaries per workspace in a job payload; malformed parts count nothing. */
export function summariesByWorkspace(data: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  const requests = (data as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) return counts;
  for (const request of requests as { workspace?: unknown; summaries?: unknown }[]) {
    if (typeof request?.workspace !== 'string' || !Array.isArray(request.summaries)) continue;
    counts.set(request.workspace, (counts.get(request.workspace) ?? 0) + request.summaries.length);
  }
  return counts;
}

// KEYS[1] the hash; ARGV: workspace, delta, workspace, delta… Deletes what reaches 0.
const ADD = `
for i = 1, #ARGV, 2 do
  if redis.call('HINCRBY', KEYS[1], ARGV[i], tonumber(ARGV[i + 1])) == 0 then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 0`;

const args = (counts: Map<string, number>, sign: 1 | -1) => [...counts].flatMap(([workspace, n]) => [workspace, String(sign * n)]);

// KEYS[1] the hash, KEYS[2..] the queue's lists and sorted sets: reset when all are empty.
const READ = `
for i = 2, #KEYS do
  local kind = redis.call('TYPE', KEYS[i]).ok
  if (kind == 'list' and redis.call('LLEN', KEYS[i]) > 0) or (kind == 'zset' and redis.call('ZCARD', KEYS[i]) > 0) then
    return redis.call('HGETALL', KEYS[1])
  end
end
redis.call('DEL', KEYS[1])
return {}`;

/** Adds a job's summaries (the ingress, after the add succeeded). */
export async function addToSummaryBacklog(redis: Pick<Redis, 'eval'>, key: string, counts: Map<string, number>): Promise<void> {
  if (counts.size > 0) await redis.eval(ADD, 1, key, ...args(counts, 1));
}

/** Removes a job's summaries (the worker, when the job leaves the queue). */
export async function subtractFromSummaryBacklog(redis: Pick<Redis, 'eval'>, key: string, counts: Map<string, number>): Promise<void> {
  if (counts.size > 0) await redis.eval(ADD, 1, key, ...args(counts, -1));
}

/**
 * Summaries per workspace now; `queueKeys` are the queue's wait, active, delayed, prioritized
 * and paused keys (an empty queue resets the counts, see above).
 */
export async function readSummaryBacklog(redis: Pick<RedisClient, 'eval'>, key: string, queueKeys: string[]): Promise<Map<string, number>> {
  const flat = (await redis.eval(READ, 1 + queueKeys.length, key, ...queueKeys)) as string[];
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) counts.set(flat[i]!, Math.max(0, Number(flat[i + 1])));
  return counts;
}
