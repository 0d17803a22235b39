import { type Db, MongoClient, type MongoClientOptions } from 'mongodb';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

/**
 * Connects with bounded timeouts, so a MongoDB outage surfaces as an error to retry rather than
 * a request that hangs for the driver's 30 s default.
 */
export async function connectMongo(url: string, dbName: string, options: MongoClientOptions = {}): Promise<MongoConnection> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: 5000,
    connectTimeoutMS: 5000,
    socketTimeoutMS: 30_000,
    retryWrites: true,
    appName: 'tally',
    ...options,
  });
  await client.connect();
  return { client, db: client.db(dbName), close: () => client.close() };
}

/**
 * True when the deployment is a replica set or a sharded cluster. A standalone mongod has no
 * transactions, so the worker then applies without the ledger (and says so at start).
 */
export async function supportsTransactions(db: Db): Promise<boolean> {
  const hello = await db.admin().command({ hello: 1 });
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}
