import type { TokenEntry } from '@tally/config';
import { ApiTokensRepository, EventSummariesRepository, LazyMongo, RawEventsRepository, userKey } from '@tally/store';
import type { EventsReader } from '../routes/events-list.route.js';
import type { SummariesReader } from '../routes/events-summary.route.js';
import { withTimeout } from '../support/with-timeout.js';

/** What the ingress reads from MongoDB, and the settings that bound it. */
export interface ReadStoreConfig {
  readonly MONGO_URL: string;
  readonly MONGO_DB: string;
  readonly READ_TIMEOUT_MS: number;
}

/** The ingress's only MongoDB use: reads (GET /events, summaries and lists) and the api_tokens refresh. */
export interface ReadStore {
  summaries: SummariesReader;
  /** The raw-event list (GET /events without summary=true). */
  events: EventsReader;
  /** Active tokens from api_tokens, for the token cache's background refresh. */
  activeTokens(): Promise<TokenEntry[]>;
  close(): Promise<void>;
}

/**
 * Opens the ingress's read side. The client connects lazily, so the ingress starts, and keeps
 * accepting summaries, while MongoDB is down. Every summary read is bounded by READ_TIMEOUT_MS:
 * a hung MongoDB turns GET /events into a 503 within that time, not a hang. The driver's own
 * timeouts are derived from it, so none of them cuts a read short before its deadline.
 */
export function openReadStore(config: ReadStoreConfig): ReadStore {
  const deadline = config.READ_TIMEOUT_MS;
  // The driver gives up a little after the deadline, never before it: the read's own deadline
  // decides, and a frozen server's sockets and selections do not pile up for ever.
  const driverTimeoutMs = deadline + 1000;
  const mongo = new LazyMongo(config.MONGO_URL, {
    serverSelectionTimeoutMS: driverTimeoutMs,
    connectTimeoutMS: driverTimeoutMs,
    socketTimeoutMS: driverTimeoutMs,
    appName: 'tally-ingress',
  });
  const db = () => mongo.db(config.MONGO_DB);
  return {
    summaries: {
      findByUser: (workspace, identity) =>
        withTimeout(
          db().then((connected) => new EventSummariesRepository(connected).findByUser(workspace, userKey(identity))),
          deadline,
          `MongoDB did not answer within ${deadline} ms`,
        ),
    },
    events: {
      list: (workspace, identity, page) =>
        withTimeout(
          db().then((connected) => new RawEventsRepository(connected).list(workspace, userKey(identity), page)),
          deadline,
          `MongoDB did not answer within ${deadline} ms`,
        ),
    },
    activeTokens: async () => new ApiTokensRepository(await db()).activeEntries(),
    close: () => mongo.close(),
  };
}
