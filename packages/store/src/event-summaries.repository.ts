import { createHash } from 'node:crypto';
import type { StoredSummary } from '@tally/contracts';
import type { AnyBulkWriteOperation, ClientSession, Collection, Db, Filter, FindCursor } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import type { UserKey } from './user-key.js';

/** What one batch adds to one (workspace, user, event): already combined in memory. */
export interface SummaryDelta {
  workspace: string;
  /** The user: a `user_id` string, or `{ email }` / `{ intercom_user_id }` (see {@link UserKey}). */
  user_id: UserKey;
  event_name: string;
  count: number;
  first: Date;
  last: Date;
}

/** Which summaries an export reads: one workspace, optionally one user, optionally only recent ones. */
export interface SummarySelection {
  workspace: string;
  userId?: string;
  /** Only summaries whose `last` is at or after this time. */
  since?: Date;
}

/** One stored summary as an export writes it. */
export type ExportedSummary = Omit<SummaryDelta, 'workspace'>;

/** A stored summary: the totals of every delta applied to its key. */
interface EventSummaryDocument extends SummaryDelta {
  _id: string;
}

/**
 * Deterministic `_id`: the same key always lands on the same document, and a hashed id spreads
 * evenly when the collection is sharded on it.
 */
export function summaryId(workspace: string, userId: UserKey, eventName: string): string {
  return createHash('sha256')
    .update(JSON.stringify([workspace, userId, eventName]))
    .digest('base64url');
}

/** The `event_summaries` collection. */
export class EventSummariesRepository {
  private readonly collection: Collection<EventSummaryDocument>;

  constructor(db: Db) {
    this.collection = db.collection<EventSummaryDocument>(COLLECTIONS.eventSummaries);
  }

  /**
   * One unordered bulk of upserts: count is a sum, first a min, last a max, so batches commute
   * and may be applied in any order on any worker.
   */
  async apply(deltas: SummaryDelta[], session?: ClientSession): Promise<{ upserted: number; modified: number }> {
    if (deltas.length === 0) return { upserted: 0, modified: 0 };
    const operations: AnyBulkWriteOperation<EventSummaryDocument>[] = deltas.map((d) => ({
      updateOne: {
        filter: { _id: summaryId(d.workspace, d.user_id, d.event_name) },
        update: {
          $inc: { count: d.count },
          $min: { first: d.first },
          $max: { last: d.last },
          $setOnInsert: { workspace: d.workspace, user_id: d.user_id, event_name: d.event_name },
        },
        upsert: true,
      },
    }));
    const result = await this.collection.bulkWrite(operations, { ordered: false, ...(session ? { session } : {}) });
    return { upserted: result.upsertedCount, modified: result.modifiedCount };
  }

  /** Every summary of one user in one workspace, by event name. */
  async findByUser(workspace: string, userId: UserKey): Promise<StoredSummary[]> {
    return this.collection
      .find({ workspace, user_id: userId }, { projection: { _id: 0, event_name: 1, count: 1, first: 1, last: 1 }, sort: { event_name: 1 } })
      .toArray();
  }

  /**
   * A cursor over the selected summaries, by user then event name: the order of the unique
   * index, so MongoDB walks the index instead of sorting in memory, and the client holds one
   * batch at a time whatever the workspace's size. Grouped by user, they re-import in few requests.
   */
  cursor(selection: SummarySelection, batchSize = 1000): FindCursor<ExportedSummary> {
    return this.collection.find(selectionFilter(selection), {
      projection: { _id: 0, user_id: 1, event_name: 1, count: 1, first: 1, last: 1 },
      sort: { workspace: 1, user_id: 1, event_name: 1 },
      batchSize,
    }) as unknown as FindCursor<ExportedSummary>;
  }

  /** How many summaries `cursor` will return, for progress. */
  count(selection: SummarySelection): Promise<number> {
    return this.collection.countDocuments(selectionFilter(selection));
  }

  /** Whether the workspace holds any summary at all, whatever its users are named by. */
  async holdsAny(workspace: string): Promise<boolean> {
    return (await this.collection.countDocuments({ workspace }, { limit: 1 })) > 0;
  }

  /** The workspaces that hold summaries, sorted: what an export of an empty one can suggest. */
  async workspaces(): Promise<string[]> {
    return (await this.collection.distinct('workspace')).map(String).sort();
  }
}

/**
 * Users named by `user_id` only: their key is a plain string, while users known by email or
 * Intercom id are stored under an object (see user-key.ts), and the import's format, like
 * `POST /events/summaries`, carries a `user_id` only.
 */
function selectionFilter({ workspace, userId, since }: SummarySelection): Filter<EventSummaryDocument> {
  return {
    workspace,
    user_id: userId ?? { $type: 'string' },
    ...(since !== undefined ? { last: { $gte: since } } : {}),
  } as Filter<EventSummaryDocument>;
}
