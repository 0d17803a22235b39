import { keySlot, type RedisClient } from '@tally/queue';
import { Cluster, type Redis } from 'ioredis';

/**
 * `WAIT numreplicas timeout` after a job's add (REDIS_WAIT_REPLICAS), so a 200 means the job
 * reached that many replicas and survives the loss of its primary. Redis replication is
 * asynchronous: without it, a primary that dies right after confirming an add can take the job
 * with it when its replica is promoted.
 *
 * WAIT counts the writes of the connection it is sent on, so it goes to the very connection the
 * add used: the client itself on one Redis; on a cluster, the client's connection to the primary
 * that serves the queue key's slot (ioredis keeps one per node and sends that slot's commands
 * over it). Other requests' writes on the same connection are waited for too, which only makes
 * the confirmation stronger.
 */
export async function waitForReplicas(redis: RedisClient, queueKey: string, replicas: number, timeoutMs: number): Promise<void> {
  const node = redis instanceof Cluster ? primaryFor(redis, queueKey) : redis;
  const acked = Number(await node.call('WAIT', String(replicas), String(Math.max(1, Math.floor(timeoutMs)))));
  if (acked < replicas) throw new Error(`only ${acked} of ${replicas} replicas confirmed the job within ${timeoutMs} ms`);
}

function primaryFor(cluster: Cluster, key: string): Redis {
  const owner = cluster.slots[keySlot(key)]?.[0];
  const node = cluster.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
  if (node === undefined) throw new Error(`no known primary serves the slot of ${key}`);
  return node;
}
