import { connectMongo, type MongoConnection } from '@tally/store';

/**
 * The CLI's MongoDB connection: a short server selection timeout, so a command during an outage
 * fails in seconds with a clear message instead of waiting for the driver's 30 s default.
 */
export function connectOperatorMongo(url: string, dbName: string): Promise<MongoConnection> {
  return connectMongo(url, dbName, { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000, appName: 'tally-cli' });
}

/** The hosts of a MongoDB URL, for messages: the URL itself may carry a password. */
export function mongoAddress(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(url);
  return match?.[1] ?? '(invalid MONGO_URL)';
}
