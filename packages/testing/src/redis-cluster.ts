import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, isPortFree } from './free-port.js';
import { type ManagedProcess, startProcess } from './managed-process.js';
import { track } from './process-registry.js';
import { findRedisServer } from './redis-binary.js';
import { pingRedis } from './redis-ping.js';

const run = promisify(execFile);

/** Options for {@link startRedisCluster}. */
export interface StartRedisClusterOptions {
  /** Primaries (default 3); each gets `replicasPerPrimary` replicas. */
  primaries?: number;
  /** Replicas per primary (default 1, so a primary's loss is survivable). */
  replicasPerPrimary?: number;
  /** AOF fsync policy (default `always`, as Tally runs in production). */
  appendFsync?: 'always' | 'everysec' | 'no';
  /** `cluster-node-timeout`: how long a primary may be silent before its replica takes over (default 1500 ms). */
  nodeTimeoutMs?: number;
  /** Data directory (kept); default a fresh temporary directory, deleted by `stop()`. */
  dir?: string;
}

/** One redis-server of the cluster. */
export interface ClusterNode {
  readonly port: number;
  readonly pid: number;
  /** SIGKILL (default) or another signal; waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A local Redis Cluster of child processes, owned by the caller. */
export interface RedisCluster {
  /** `127.0.0.1:port,…` for `REDIS_CLUSTER_NODES` (every node, so any one of them can seed). */
  readonly nodesEnv: string;
  readonly nodes: readonly ClusterNode[];
  /** The nodes that are primaries now (changes after a failover). */
  primaries(): Promise<ClusterNode[]>;
  /** Resolves once every slot is served, `cluster_state:ok` is seen from every live node and every live replica is in sync. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** Stops every node (SIGTERM) and deletes the temporary directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `primaries × (1 + replicasPerPrimary)` redis-servers with `--cluster-enabled yes` on
 * free ports and joins them with `redis-cli --cluster create`, as an operator would. Resolves
 * once the cluster reports `cluster_state:ok`. Everything is registered for `stopAll()`.
 */
export async function startRedisCluster(opts: StartRedisClusterOptions = {}): Promise<RedisCluster> {
  const primaries = opts.primaries ?? 3;
  const replicas = opts.replicasPerPrimary ?? 1;
  const serverBin = findRedisServer();
  const cliBin = join(dirname(serverBin), 'redis-cli');
  const ownsDir = opts.dir === undefined;
  const root = opts.dir ?? mkdtempSync(join(tmpdir(), 'tally-cluster-'));
  const removeDir = () => ownsDir && rmSync(root, { recursive: true, force: true });
  const untrackDir = track({ name: `cluster dir ${root}`, stop: async () => void removeDir(), killSync: removeDir });

  const procs: ManagedProcess[] = [];
  const nodes: ClusterNode[] = [];
  const nodeProcs = new Map<ClusterNode, ManagedProcess>();
  try {
    for (let i = 0; i < primaries * (1 + replicas); i++) {
      // A node also listens on its port + 10,000 (the cluster bus). Either may be taken by the
      // time redis-server binds it (another test's process), and then the node exits at once:
      // start it again on other ports instead of waiting out the PING deadline.
      for (let attempt = 1; ; attempt++) {
        const port = await clusterPort();
        const dir = join(root, String(port));
        mkdirSync(dir, { recursive: true });
        const proc = await startProcess({
          name: `redis-cluster:${port}`,
          command: serverBin,
          args: [
            ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
            ...['--appendonly', 'yes', '--appendfsync', opts.appendFsync ?? 'always'],
            ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
            ...['--cluster-node-timeout', String(opts.nodeTimeoutMs ?? 1500), '--daemonize', 'no'],
          ],
          cwd: dir,
        });
        procs.push(proc);
        if (!(await answersPing(port, proc)) && attempt < 5) continue;
        if (proc.exit !== undefined) throw new Error(`cluster node on port ${port} exited at start (${attempt} tries)`);
        const node: ClusterNode = {
          port,
          pid: proc.pid,
          kill: async (signal = 'SIGKILL') => void (await proc.kill(signal, 2000)),
        };
        nodes.push(node);
        nodeProcs.set(node, proc);
        break;
      }
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run(cliBin, ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], {
      timeout: 30_000,
    });
  } catch (error) {
    await Promise.all(procs.map((p) => p.kill('SIGKILL', 1000)));
    removeDir();
    untrackDir();
    throw error;
  }

  const alive = () => nodes.filter((node) => nodeProcs.get(node)?.exit === undefined);
  const cluster: RedisCluster = {
    nodesEnv: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    nodes,
    async primaries() {
      const found: ClusterNode[] = [];
      for (const node of alive()) {
        const role = await withClient(node.port, (c) => c.call('ROLE') as Promise<unknown[]>).catch(() => undefined);
        if (role?.[0] === 'master') found.push(node);
      }
      return found;
    },
    async waitUntilHealthy(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const states = await Promise.all(
          alive().map((n) => withClient(n.port, (c) => c.call('CLUSTER', 'INFO') as Promise<string>).catch(() => '')),
        );
        // Replicas too: a replica still in its first sync acknowledges nothing, so a WAIT would fail.
        const roles = await Promise.all(
          alive().map((n) => withClient(n.port, (c) => c.call('ROLE') as Promise<unknown[]>).catch(() => [] as unknown[])),
        );
        const synced = roles.every((r) => r[0] === 'master' || (r[0] === 'slave' && r[3] === 'connected'));
        if (states.length > 0 && states.every((s) => s.includes('cluster_state:ok')) && synced) return;
        if (Date.now() > deadline) throw new Error(`redis cluster not healthy within ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    async stop() {
      await Promise.all(procs.map((p) => p.kill('SIGTERM', 5000)));
      removeDir();
      untrackDir();
    },
  };
  await cluster.waitUntilHealthy();
  return cluster;
}

/** A free port whose cluster bus port (+ 10,000) is free too and below 65,536. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 < 65_536 && (await isPortFree(port + 10_000))) return port;
  }
}

/** True once the node answers PING; false if its process exits first. Throws after 20 s. */
async function answersPing(port: number, proc: ManagedProcess): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (!(await pingRedis(port))) {
    if (proc.exit !== undefined) return false;
    if (Date.now() > deadline) throw new Error(`cluster node on port ${port} did not answer PING`);
    await sleep(25);
  }
  return true;
}

/** A short-lived plain (non-cluster) connection to one node, for probes. */
export async function withClient<T>(port: number, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}
