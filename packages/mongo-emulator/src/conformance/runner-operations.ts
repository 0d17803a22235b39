import type { ClientSession, Db, Document, MongoClient } from 'mongodb';
import type { EntityMap } from './entity-map.js';

/** Operations on a session entity. */
export async function sessionOperation(session: ClientSession, name: string, args: Document): Promise<unknown> {
  switch (name) {
    case 'startTransaction':
      session.startTransaction(args);
      return undefined;
    case 'commitTransaction':
      return session.commitTransaction();
    case 'abortTransaction':
      return session.abortTransaction();
    case 'endSession':
      return session.endSession();
    default:
      throw new Error(`unsupported session operation ${name}`);
  }
}

/** Operations on a database entity. */
export async function databaseOperation(db: Db, name: string, args: Document): Promise<unknown> {
  const { session } = args;
  switch (name) {
    case 'runCommand':
      return db.command(args.command, { session, ...(args.readPreference ? { readPreference: args.readPreference } : {}) });
    case 'createCollection': {
      const { collection, ...o } = args;
      await db.createCollection(collection, o);
      return undefined;
    }
    case 'dropCollection': {
      const { collection, ...o } = args;
      return db.dropCollection(collection, o);
    }
    case 'aggregate': {
      const { pipeline, ...o } = args;
      return db.aggregate(pipeline, o).toArray();
    }
    case 'listCollections':
      return db.listCollections(args.filter ?? {}, { session }).toArray();
    case 'listCollectionNames':
      return (await db.listCollections(args.filter ?? {}, { session }).toArray()).map((c) => c.name);
    case 'modifyCollection': {
      const { collection, ...o } = args;
      return db.command({ collMod: collection, ...o });
    }
    default:
      throw new Error(`unsupported database operation ${name}`);
  }
}

/** The driver's transaction states, spelled as the format spells them. */
const TXN_STATES: Record<string, string> = {
  NO_TRANSACTION: 'none',
  STARTING_TRANSACTION: 'starting',
  TRANSACTION_IN_PROGRESS: 'in_progress',
  TRANSACTION_COMMITTED: 'committed',
  TRANSACTION_COMMITTED_EMPTY: 'committed',
  TRANSACTION_ABORTED: 'aborted',
};

/** Operations on the `testRunner` object: fail points and assertions about server state. */
export async function testRunnerOperation(entities: EntityMap, inspector: MongoClient, name: string, args: Document): Promise<unknown> {
  switch (name) {
    case 'failPoint':
    case 'targetedFailPoint': {
      // One server: a targeted fail point is an ordinary one on the session's client.
      const client = name === 'failPoint' ? entities.client(args.client).client : inspector;
      await client.db('admin').command(args.failPoint);
      return undefined;
    }
    case 'createEntities':
      return entities.create(args.entities);
    case 'assertSessionTransactionState': {
      const state = (entities.session(args.session) as unknown as { transaction: { state: string } }).transaction.state;
      if (TXN_STATES[state] !== args.state)
        throw new Error(`session transaction state is ${TXN_STATES[state] ?? state}, expected ${args.state}`);
      return undefined;
    }
    case 'assertSessionPinned':
    case 'assertSessionUnpinned': {
      const pinned = Boolean((entities.session(args.session) as unknown as { isPinned?: boolean }).isPinned);
      if (pinned !== (name === 'assertSessionPinned')) throw new Error(`session is ${pinned ? '' : 'not '}pinned`);
      return undefined;
    }
    case 'assertCollectionExists':
    case 'assertCollectionNotExists': {
      const found = await inspector.db(args.databaseName).listCollections({ name: args.collectionName }).toArray();
      if (found.length > 0 !== (name === 'assertCollectionExists'))
        throw new Error(`collection ${args.collectionName} ${found.length > 0 ? 'exists' : 'does not exist'}`);
      return undefined;
    }
    case 'assertIndexExists':
    case 'assertIndexNotExists': {
      const indexes = await inspector
        .db(args.databaseName)
        .collection(args.collectionName)
        .listIndexes()
        .toArray()
        .catch(() => []);
      const found = indexes.some((i) => i.name === args.indexName);
      if (found !== (name === 'assertIndexExists')) throw new Error(`index ${args.indexName} ${found ? 'exists' : 'does not exist'}`);
      return undefined;
    }
    default:
      throw new Error(`unsupported testRunner operation ${name}`);
  }
}
