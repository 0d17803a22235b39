/**
 * `npm run redis-cluster`: a local Redis Cluster for development (3 primaries + 3 replicas of
 * Debian's redis-server on free ports, AOF always), the one the cluster tests use. Prints the
 * REDIS_CLUSTER_NODES to give every process, and stops the nodes (deleting their data) on Ctrl-C.
 */
import { startRedisCluster } from '@tally/testing';

const cluster = await startRedisCluster();
const primaries = new Set((await cluster.primaries()).map((n) => n.port));
process.stdout.write(
  [
    `Redis Cluster up: ${cluster.nodes.length} nodes, primaries on ${[...primaries].join(', ')}`,
    '',
    `  export REDIS_CLUSTER_NODES=${cluster.nodesEnv}`,
    '  export QUEUE_SHARDS=3   # one per primary; unset REDIS_URL',
    '',
    'Ctrl-C stops the nodes and deletes their data.',
    '',
  ].join('\n'),
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
