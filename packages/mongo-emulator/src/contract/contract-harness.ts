import { randomBytes } from 'node:crypto';
import type { Db, MongoClientOptions } from 'mongodb';
import { MongoClient } from 'mongodb';
import type { MongoEmulator } from '../index.js';
import { startMongoEmulator } from '../index.js';

/**
 * Where the contract suite runs: against an in-process emulator by default, or unchanged
 * against the real MongoDB replica set named by MONGO_URL. Each test file gets its own database
 * (dropped afterwards) so files can run against one shared server.
 */
export interface ContractTarget {
  uri: string;
  client: MongoClient;
  db: Db;
  /** True when the target is the emulator; tests of deliberate differences branch on it. */
  isEmulator: boolean;
  /** The emulator, when the target is one (for tests that need its address or options). */
  emulator: MongoEmulator | null;
  /** A second client (separate connection pool), for concurrency tests. */
  newClient(options?: MongoClientOptions): Promise<MongoClient>;
  close(): Promise<void>;
}

/** What the emulator's buildInfo reports as gitVersion. */
const EMULATOR_GIT_VERSION = 'tally-mongo-emulator';

/** Starts (or connects to) the target and opens a uniquely named database. */
export async function openContractTarget(label: string, options: { ttlSweepMs?: number } = {}): Promise<ContractTarget> {
  const external = process.env.MONGO_URL;
  // Test commands on, as in a mongod started for tests: the fail-point contract needs them.
  const emulator = external
    ? null
    : await startMongoEmulator({ enableTestCommands: true, ...(options.ttlSweepMs ? { ttlSweepMs: options.ttlSweepMs } : {}) });
  const uri = external ?? (emulator as MongoEmulator).uri;
  const clients: MongoClient[] = [];
  const newClient = async (opts: MongoClientOptions = {}): Promise<MongoClient> => {
    const c = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, ...opts });
    await c.connect();
    clients.push(c);
    return c;
  };
  const client = await newClient();
  const db = client.db(`contract_${label}_${randomBytes(4).toString('hex')}`);
  // MONGO_URL may name an emulator too (the suite run against one started by hand): ask the
  // server what it is rather than guess from how it was reached.
  const build = await client.db('admin').command({ buildInfo: 1 });
  return {
    uri,
    client,
    db,
    isEmulator: build.gitVersion === EMULATOR_GIT_VERSION,
    emulator,
    newClient,
    close: async () => {
      await db.dropDatabase().catch(() => undefined);
      for (const c of clients) await c.close();
      await emulator?.close();
    },
  };
}
