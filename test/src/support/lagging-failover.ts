import type { ClusterNode, RedisCluster } from '@tally/testing';
import { waitFor, withClient as withNode } from '@tally/testing';

/** How long the replica may take to win its election before it is told to take over. */
const ELECTION_MS = 10_000;

/**
 * The failover that loses data without WAIT, made deterministic: the replica of the primary
 * serving `key` stops receiving the replication stream (`cutOff`), writes are acknowledged by
 * the primary alone, then the primary dies and the stale replica is promoted (`failOver`).
 *
 * SIGSTOP alone is not enough: the kernel keeps accepting the stream into the stopped replica's
 * socket buffer, and the replica would apply it on SIGCONT. So the primary also drops the
 * replica's connection (`CLIENT KILL TYPE replica`); the stopped replica cannot reconnect, and
 * everything written after that exists on the primary only.
 */
export interface LaggingFailover {
  primary: ClusterNode;
  replica: ClusterNode;
  /** SIGSTOP the replica and cut its replication link: from now on the primary's writes are its own. */
  cutOff(): Promise<void>;
  /** SIGKILL the primary, SIGCONT the replica, and resolve once it serves the slots as primary. */
  failOver(): Promise<{ promotedBy: 'election' | 'takeover' }>;
}

export async function laggingFailover(cluster: RedisCluster, key: string): Promise<LaggingFailover> {
  const primary = await withNode(cluster.nodes[0]!.port, async (probe) => {
    const slot = (await probe.call('CLUSTER', 'KEYSLOT', key)) as number;
    const ranges = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const port = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
    return cluster.nodes.find((n) => n.port === port);
  });
  // The primary's own word on its replicas: CLUSTER SLOTS may not list them yet after a start.
  const replica =
    primary &&
    (await withNode(primary.port, async (c) => {
      const [, , replicas] = (await c.call('ROLE')) as [string, number, [string, string, string][]];
      return cluster.nodes.find((n) => n.port === Number(replicas[0]?.[1]));
    }));
  if (primary === undefined || replica === undefined) throw new Error(`no primary with a replica serves ${key}`);

  return {
    primary,
    replica,
    async cutOff() {
      process.kill(replica.pid, 'SIGSTOP');
      await withNode(primary.port, async (c) => {
        await c.call('CLIENT', 'KILL', 'TYPE', 'replica');
        // Writes from here on are not streamed to anyone: the primary has no replica left.
        await waitFor(async () => (await c.info('replication')).includes('connected_slaves:0'), { timeoutMs: 5000 });
      });
    },
    async failOver() {
      await primary.kill('SIGKILL');
      process.kill(replica.pid, 'SIGCONT');
      const isPrimary = () => withNode(replica.port, async (c) => ((await c.call('ROLE')) as unknown[])[0] === 'master').catch(() => false);
      try {
        await waitFor(isPrimary, { timeoutMs: ELECTION_MS });
        return { promotedBy: 'election' };
      } catch {
        // Without a quorum's votes in time, do what an operator would: promote it by hand.
        await withNode(replica.port, (c) => c.call('CLUSTER', 'FAILOVER', 'TAKEOVER'));
        await waitFor(isPrimary, { timeoutMs: ELECTION_MS });
        return { promotedBy: 'takeover' };
      }
    },
  };
}
