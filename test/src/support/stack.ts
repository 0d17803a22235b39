import { consumerConnection, Queue, queueName } from '@tally/queue';
import { connectMongo, type MongoConnection } from '@tally/store';
import {
  type AppProcess,
  type MongoServer,
  type RedisCluster,
  type RedisServer,
  type StartRedisOptions,
  startApp,
  startMongo,
  startRedis,
  stopAll,
  uniqueName,
  waitFor,
  waitForLog,
  waitForQuiescence,
} from '@tally/testing';
import { type FreezeProxy, startFreezeProxy } from './freeze-proxy.js';

/** Worker settings under which a dead worker's jobs are found stalled, and retried, within seconds. */
export const QUICK_STALL_ENV = { WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' };

export const TOKENS = { acme: 'acme-token-0001', beta: 'beta-token-0002', gamma: 'gamma-token-0003' } as const;

export interface StackOptions {
  ingresses?: number;
  workers?: number;
  /** Extra environment for every process. */
  env?: Record<string, string>;
  redis?: StartRedisOptions;
  /**
   * Make MongoDB pausable: the emulator runs as a child process (SIGSTOP/SIGCONT); a MongoDB
   * given by MONGO_URL is reached through a freezable TCP proxy instead.
   */
  pausableMongo?: boolean;
  /**
   * Reach MongoDB through a proxy that can refuse connections (`mongoDown`/`mongoUp`): a MongoDB
   * that is down, whatever server is behind it, with its data intact.
   */
  mongoProxy?: boolean;
  /** How often the emulator's TTL monitor runs (see `startMongo`). */
  mongoTtlSweepMs?: number;
  /**
   * Run every process on this Redis Cluster (REDIS_CLUSTER_NODES) instead of the stack's own
   * Redis, which is still started (the `redis` of the result) but unused by the processes.
   */
  redisCluster?: RedisCluster;
}

export interface Ingress {
  app: AppProcess;
  url: string;
}

/** Redis, MongoDB, ingress and worker processes, started the way a user starts them. */
export interface Stack {
  redis: RedisServer;
  mongo: MongoServer;
  /** A direct connection to the stack's database, for assertions. */
  db: MongoConnection;
  env: Record<string, string>;
  ingresses: Ingress[];
  workers: AppProcess[];
  /** `entry`: a test-only ingress entry point (test/src/fixtures) instead of apps/ingress/src/main.ts. */
  addIngress(env?: Record<string, string>, entry?: string): Promise<Ingress>;
  /** `entry`: a test-only worker entry point (test/src/fixtures) instead of apps/worker/src/main.ts. */
  addWorker(env?: Record<string, string>, entry?: string): Promise<AppProcess>;
  /** Resolves once the queue is quiet (see waitForQuiescence): nothing more will be applied. */
  quiescent(): Promise<Record<string, number>>;
  /** MongoDB stops answering (connections stay open); needs `pausableMongo`. */
  pauseMongo(): Promise<void>;
  resumeMongo(): Promise<void>;
  /** MongoDB refuses connections until `mongoUp`; needs `mongoProxy`. */
  mongoDown(): Promise<void>;
  mongoUp(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const redis = await startRedis({ appendOnly: true, appendFsync: 'always', ...options.redis });
  const mongo = await startMongo({
    childProcess: options.pausableMongo ?? false,
    ...(options.mongoTtlSweepMs === undefined ? {} : { ttlSweepMs: options.mongoTtlSweepMs }),
  });
  let proxy: FreezeProxy | undefined;
  let processMongoUrl = mongo.uri;
  if (options.mongoProxy || (options.pausableMongo && mongo.external)) {
    const target = new URL(mongo.uri.replace(/^mongodb:\/\/[^@]*@/, 'mongodb://'));
    proxy = await startFreezeProxy(target.hostname, Number(target.port || 27017));
    processMongoUrl = `mongodb://${mongo.uri.match(/^mongodb:\/\/([^@]*@)/)?.[1] ?? ''}127.0.0.1:${proxy.port}/?directConnection=true`;
  }
  const env: Record<string, string> = {
    ...(options.redisCluster ? { REDIS_CLUSTER_NODES: options.redisCluster.nodesEnv } : { REDIS_URL: redis.url }),
    MONGO_URL: processMongoUrl,
    MONGO_DB: uniqueName('e2e'),
    QUEUE_PREFIX: uniqueName('q'),
    TALLY_TOKENS: Object.entries(TOKENS)
      .map(([w, t]) => `${w}:${t}`)
      .join(','),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ...options.env,
  };
  const db = await connectMongo(mongo.uri, env.MONGO_DB!);
  const ingresses: Ingress[] = [];
  const workers: AppProcess[] = [];
  let counter = 0;

  const addIngress = async (extra: Record<string, string> = {}, entry?: string) => {
    const app = await startApp('ingress', { env: { ...env, ...extra }, name: `ingress-${++counter}`, ...(entry ? { entry } : {}) });
    const record = await waitForLog(app, 'ingress listening');
    const ingress = { app, url: String(record.url) };
    // Ready, not just listening: Redis connected and the first api_tokens load tried.
    await waitFor(async () => (await fetch(`${ingress.url}/readyz`)).status === 200, {
      timeoutMs: 30_000,
      message: `${app.name} never became ready`,
    });
    ingresses.push(ingress);
    return ingress;
  };
  const addWorker = async (extra: Record<string, string> = {}, entry?: string) => {
    const app = await startApp('worker', { env: { ...env, ...extra }, name: `worker-${++counter}`, ...(entry ? { entry } : {}) });
    await waitForLog(app, 'worker ready');
    workers.push(app);
    return app;
  };

  await Promise.all([
    ...Array.from({ length: options.ingresses ?? 1 }, () => addIngress()),
    ...Array.from({ length: options.workers ?? 1 }, () => addWorker()),
  ]);

  return {
    redis,
    mongo,
    db,
    env,
    ingresses,
    workers,
    addIngress,
    addWorker,
    quiescent: async () => {
      const queue = new Queue(queueName('summaries'), { connection: consumerConnection(redis.url), prefix: env.QUEUE_PREFIX! });
      try {
        return await waitForQuiescence(queue);
      } finally {
        await queue.close();
      }
    },
    pauseMongo: async () => {
      if (proxy) proxy.freeze();
      else await mongo.pause();
    },
    resumeMongo: async () => {
      if (proxy) proxy.thaw();
      else await mongo.resume();
    },
    mongoDown: async () => {
      if (!proxy) throw new Error('mongoDown needs startStack({ mongoProxy: true })');
      await proxy.refuse();
    },
    mongoUp: async () => {
      if (!proxy) throw new Error('mongoUp needs startStack({ mongoProxy: true })');
      await proxy.accept();
    },
    stop: async () => {
      await proxy?.close();
      await db.db.dropDatabase().catch(() => undefined);
      await db.close().catch(() => undefined);
      await stopAll();
    },
  };
}
