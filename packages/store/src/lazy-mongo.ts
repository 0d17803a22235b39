import { type Db, MongoClient, type MongoClientOptions } from 'mongodb';

/**
 * A MongoDB client that connects on first use and, if that first connection fails, tries again
 * on the next use. The driver gives up on a client whose initial connect failed ("Topology is
 * closed"), which would leave a process started during a MongoDB outage unable to ever read.
 * Once connected, the driver's own monitoring handles reconnects.
 */
export class LazyMongo {
  private client: MongoClient | undefined;
  private pending: MongoClient | undefined;
  private connecting: Promise<MongoClient> | undefined;

  constructor(
    private readonly url: string,
    private readonly options: MongoClientOptions = {},
  ) {}

  async db(name: string): Promise<Db> {
    return (await this.connected()).db(name);
  }

  /**
   * Closes the client. A connect still in progress is closed too, so it fails at once instead of
   * holding a shutdown open for the whole server selection timeout while MongoDB is down.
   */
  async close(): Promise<void> {
    const pending = this.pending;
    const connecting = this.connecting;
    const client = this.client;
    this.client = undefined;
    this.pending = undefined;
    this.connecting = undefined;
    await pending?.close().catch(() => undefined);
    await connecting?.catch(() => undefined);
    await client?.close();
  }

  private connected(): Promise<MongoClient> {
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    const pending = new MongoClient(this.url, this.options);
    this.pending = pending;
    const connecting = pending.connect().then(
      (client) => {
        if (this.connecting === connecting) {
          this.client = client;
          this.pending = undefined;
          this.connecting = undefined;
        }
        return client;
      },
      (error: unknown) => {
        if (this.connecting === connecting) {
          this.pending = undefined;
          this.connecting = undefined;
        }
        throw error;
      },
    );
    this.connecting = connecting;
    return connecting;
  }
}
