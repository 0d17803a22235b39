import type { ClientSession, Collection, CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, Db, Document } from 'mongodb';
import { BSON, MongoClient } from 'mongodb';

/** One command monitoring event a client entity observed, in the unified format's terms. */
export interface ObservedEvent {
  type: 'commandStartedEvent' | 'commandSucceededEvent' | 'commandFailedEvent';
  commandName: string;
  databaseName?: string;
  command?: Document;
  reply?: Document;
}

/** A client entity: the driver client and the events it was asked to observe. */
export interface ClientEntity {
  client: MongoClient;
  events: ObservedEvent[];
}

/**
 * A copy of a command as it was sent: the driver may later mutate objects it shares between
 * commands (it adds afterClusterTime to the client's readConcern object in place).
 */
const snapshot = (doc: Document): Document => BSON.deserialize(BSON.serialize(doc), { promoteValues: false, promoteLongs: false });

/** Commands whose events the format hides unless a client sets observeSensitiveCommands. */
const SENSITIVE = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'saslStart',
  'saslContinue',
  'getnonce',
  'authenticate',
  'createUser',
  'updateUser',
]);

/**
 * The entities of one test (`createEntities`): clients with their observed events, databases,
 * collections and sessions, by id. Sessions remember their lsid so `$$sessionLsid` still
 * resolves after `endSession`.
 */
export class EntityMap {
  readonly clients = new Map<string, ClientEntity>();
  readonly databases = new Map<string, Db>();
  readonly collections = new Map<string, Collection>();
  readonly sessions = new Map<string, ClientSession>();
  readonly #lsids = new Map<string, unknown>();

  constructor(private readonly uri: string) {}

  lsidOf = (sessionId: string): unknown => this.#lsids.get(sessionId);

  async create(entities: Document[]): Promise<void> {
    for (const entity of entities) {
      const [kind, spec] = Object.entries(entity)[0] as [string, Document];
      if (kind === 'client') this.#createClient(spec);
      else if (kind === 'database')
        this.databases.set(spec.id, this.client(spec.client).client.db(spec.databaseName, spec.databaseOptions));
      else if (kind === 'collection') {
        const db = this.databases.get(spec.database);
        if (!db) throw new Error(`no database entity ${spec.database}`);
        this.collections.set(spec.id, db.collection(spec.collectionName, spec.collectionOptions));
      } else if (kind === 'session') {
        const session = this.client(spec.client).client.startSession(spec.sessionOptions);
        this.sessions.set(spec.id, session);
        this.#lsids.set(spec.id, session.id);
      } else throw new Error(`unsupported entity type ${kind}`);
    }
  }

  client(id: string): ClientEntity {
    const c = this.clients.get(id);
    if (!c) throw new Error(`no client entity ${id}`);
    return c;
  }

  session(id: string): ClientSession {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`no session entity ${id}`);
    return s;
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) await s.endSession().catch(() => undefined);
    for (const c of this.clients.values()) await c.client.close().catch(() => undefined);
  }

  #createClient(spec: Document): void {
    const url = new URL(this.uri);
    for (const [k, v] of Object.entries((spec.uriOptions ?? {}) as Document)) url.searchParams.set(k, String(v));
    // A short rediscovery pause after a network error keeps the fail-point tests fast; a short
    // selection timeout makes tests that need a secondary fail fast (there is none).
    const client = new MongoClient(url.toString(), {
      monitorCommands: true,
      serverSelectionTimeoutMS: 1000,
      minHeartbeatFrequencyMS: 50,
    } as never);
    const entity: ClientEntity = { client, events: [] };
    const observe = new Set<string>(spec.observeEvents ?? []);
    const ignored = new Set<string>(spec.ignoreCommandMonitoringEvents ?? []);
    const keep = (name: string) =>
      name !== 'configureFailPoint' && !ignored.has(name) && (spec.observeSensitiveCommands === true || !SENSITIVE.has(name));
    if (observe.has('commandStartedEvent')) {
      client.on('commandStarted', (e: CommandStartedEvent) => {
        if (keep(e.commandName))
          entity.events.push({
            type: 'commandStartedEvent',
            commandName: e.commandName,
            databaseName: e.databaseName,
            command: snapshot(e.command),
          });
      });
    }
    if (observe.has('commandSucceededEvent')) {
      client.on('commandSucceeded', (e: CommandSucceededEvent) => {
        if (keep(e.commandName))
          entity.events.push({
            type: 'commandSucceededEvent',
            commandName: e.commandName,
            databaseName: e.databaseName,
            reply: e.reply as Document,
          });
      });
    }
    if (observe.has('commandFailedEvent')) {
      client.on('commandFailed', (e: CommandFailedEvent) => {
        if (keep(e.commandName))
          entity.events.push({ type: 'commandFailedEvent', commandName: e.commandName, databaseName: e.databaseName });
      });
    }
    this.clients.set(spec.id, entity);
  }
}
