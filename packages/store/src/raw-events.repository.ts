import { createHash } from 'node:crypto';
import type { EventsCursor, StoredEvent } from '@tally/contracts';
import type { AnyBulkWriteOperation, ClientSession, Collection, Db, Filter } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import type { UserKey } from './user-key.js';

/** One raw event to keep for the event list. */
export interface RawEvent {
  workspace: string;
  user_id: UserKey;
  event_name: string;
  created_at: Date;
  /** The metadata exactly as accepted, as JSON: kept as a string so any key (dots, `$`) and the key order survive. */
  metadata?: string;
}

interface RawEventDocument extends RawEvent {
  _id: string;
}

/** One page request of {@link RawEventsRepository.list}. */
export interface RawEventsPage {
  /** Events older than this are outside the retention window, whether or not the TTL monitor has removed them yet. */
  notBefore: Date;
  since?: Date;
  before?: EventsCursor;
  limit: number;
}

/**
 * Intercom's de-duplication key (workspace, user, event name, `created_at`) as the document id:
 * a repeated event lands on the same document, and ids order events of the same second.
 */
export function rawEventId(workspace: string, user: UserKey, eventName: string, createdAt: Date): string {
  return createHash('sha256')
    .update(JSON.stringify([workspace, user, eventName, createdAt.getTime()]))
    .digest('base64url');
}

/**
 * The `raw_events` collection: individual events for Intercom's `event.list`, kept for the
 * retention window by a TTL index on `created_at` (see `ensureIndexes`). Summaries are kept
 * apart and forever, so an event that expires here is still counted there.
 */
export class RawEventsRepository {
  private readonly collection: Collection<RawEventDocument>;

  constructor(db: Db) {
    this.collection = db.collection<RawEventDocument>(COLLECTIONS.rawEvents);
  }

  /**
   * Stores events in one unordered bulk of insert-if-absent upserts: a repeat of a stored event
   * (a client retry past the ledger's window, a re-run job) changes nothing and never fails
   * the transaction it runs in.
   */
  async store(events: RawEvent[], session?: ClientSession): Promise<{ inserted: number }> {
    if (events.length === 0) return { inserted: 0 };
    const operations: AnyBulkWriteOperation<RawEventDocument>[] = events.map((e) => ({
      updateOne: {
        filter: { _id: rawEventId(e.workspace, e.user_id, e.event_name, e.created_at) },
        update: { $setOnInsert: e },
        upsert: true,
      },
    }));
    const result = await this.collection.bulkWrite(operations, { ordered: false, ...(session ? { session } : {}) });
    return { inserted: result.upsertedCount };
  }

  /** One page of a user's events, newest first (ties broken by id, descending). */
  async list(workspace: string, user: UserKey, page: RawEventsPage): Promise<StoredEvent[]> {
    const from = page.since && page.since > page.notBefore ? page.since : page.notBefore;
    const filter: Filter<RawEventDocument> = { workspace, user_id: user, created_at: { $gte: from } };
    if (page.before) {
      const at = new Date(page.before.atMs);
      filter.$or =
        page.before.id === undefined
          ? [{ created_at: { $lt: at } }]
          : [{ created_at: { $lt: at } }, { created_at: at, _id: { $lt: page.before.id } }];
    }
    const docs = await this.collection
      .find(filter, {
        sort: { created_at: -1, _id: -1 },
        limit: page.limit,
        projection: { _id: 1, event_name: 1, created_at: 1, metadata: 1 },
      })
      .toArray();
    return docs.map((d) => ({
      id: d._id,
      event_name: d.event_name,
      created_at: d.created_at,
      ...(d.metadata === undefined ? {} : { metadata: d.metadata }),
    }));
  }
}
