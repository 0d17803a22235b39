import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';

/**
 * A MongoDB client that connects on first use and, if that first connection fails, tries again
 * on the next use. The driver gives up on a client whose initial connect failed ("Topology is
 * closed"), which would leave a process started during a MongoDB outage unable to ever read.
 * Once connected, the driver's own monitoring handles reconnects.
 */
export class LazyMongo {
  private client: MongoClient | undefined;
  private connecting: Promise<MongoClient> | undefined;

  constructor(
    private readonly url: string,
    private readonly options: MongoClientOptions = {},
  ) {}

  async db(name: string): Promise<Db> {
    return (await this.connected()).db(name);
  }

  async close(): Promise<void> {
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    this.connecting = undefined;
    await client?.close();
  }

  private connected(): Promise<MongoClient> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= new MongoClient(this.url, this.options).connect().then(
      (client) => {
        this.client = client;
        return client;
      },
      (error: unknown) => {
        this.connecting = undefined;
        throw error;
      },
    );
    return this.connecting;
  }
}
