import { createHash, randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

interface ApiTokenDocument {
  /** sha256 of the token, hex: what the ingress compares against; the token itself is not kept. */
  _id: string;
  workspace: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A stored token as operators see it: identified by a prefix of its hash, never the hash itself. */
export interface ApiTokenView {
  /** The first {@link TOKEN_ID_LENGTH} hex characters of the token's sha256. */
  id: string;
  workspace: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A token the ingress accepts: the same shape as a parsed `TALLY_TOKENS` entry. */
export interface ActiveTokenEntry {
  workspace: string;
  /** sha256 of the token, hex. */
  tokenHash: string;
}

/** What {@link ApiTokensRepository.revoke} did. */
export type RevokeOutcome =
  | { status: 'revoked'; token: ApiTokenView }
  | { status: 'already-revoked'; token: ApiTokenView }
  | { status: 'not-found' }
  | { status: 'ambiguous'; matches: number };

/** Marks generated tokens, so one found in a log or a repository is recognisable as Tally's. */
export const TOKEN_PREFIX = 'tly_';
/** Hex characters of the hash shown as a token's id: 48 bits, unique in any realistic table. */
export const TOKEN_ID_LENGTH = 12;
/** Same rule as `TALLY_TOKENS` workspaces, so a workspace can move between the two sources. */
const WORKSPACE = /^[A-Za-z0-9_.-]{1,64}$/;
/** An id given to revoke: a hex prefix of the hash, long enough not to match by accident. */
const ID = /^[0-9a-f]{8,64}$/;
const MAX_LABEL_LENGTH = 200;

const sha256Hex = (token: string): string => createHash('sha256').update(token).digest('hex');

const view = (doc: ApiTokenDocument): ApiTokenView => ({
  id: doc._id.slice(0, TOKEN_ID_LENGTH),
  workspace: doc.workspace,
  label: doc.label,
  createdAt: doc.createdAt,
  revokedAt: doc.revokedAt,
});

/**
 * The `api_tokens` collection: bearer tokens issued by operators, stored only as sha256. The
 * ingress reads {@link activeEntries} in the background and authenticates from memory, so a
 * MongoDB outage never stops ingestion.
 */
export class ApiTokensRepository {
  private readonly collection: Collection<ApiTokenDocument>;

  constructor(db: Db) {
    this.collection = db.collection<ApiTokenDocument>(COLLECTIONS.apiTokens);
  }

  /**
   * Issues a token for `workspace`: 32 random bytes, base64url, after {@link TOKEN_PREFIX}. The
   * token is returned once; only its hash is stored, so it cannot be shown again.
   */
  async create(workspace: string, options: { label?: string } = {}): Promise<{ token: string; id: string }> {
    if (!WORKSPACE.test(workspace)) throw new RangeError(`workspace must match ${WORKSPACE.source}, got "${workspace}"`);
    const label = options.label?.trim() || null;
    if (label !== null && label.length > MAX_LABEL_LENGTH) throw new RangeError(`label must be at most ${MAX_LABEL_LENGTH} characters`);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const hash = sha256Hex(token);
    await this.collection.insertOne({ _id: hash, workspace, label, createdAt: new Date(), revokedAt: null });
    return { token, id: hash.slice(0, TOKEN_ID_LENGTH) };
  }

  /** Every token (revoked ones too, so an operator sees what was revoked), oldest first. */
  async list(workspace?: string): Promise<ApiTokenView[]> {
    const docs = await this.collection
      .find(workspace === undefined ? {} : { workspace })
      .sort({ createdAt: 1, _id: 1 })
      .toArray();
    return docs.map(view);
  }

  /**
   * Revokes the token whose hash starts with `id` (at least 8 hex characters). Revoking twice
   * is harmless; a prefix matching several tokens revokes none.
   */
  async revoke(id: string): Promise<RevokeOutcome> {
    const prefix = id.trim().toLowerCase();
    if (!ID.test(prefix)) return { status: 'not-found' };
    // A range on _id rather than a regex: hex sorts 0-9a-f, and "g" sorts after every hex digit.
    const filter = { _id: { $gte: prefix, $lt: `${prefix}g` } };
    const matches = await this.collection.find(filter).limit(2).toArray();
    const [doc] = matches;
    if (matches.length > 1) return { status: 'ambiguous', matches: await this.collection.countDocuments(filter) };
    if (doc === undefined) return { status: 'not-found' };
    if (doc.revokedAt !== null) return { status: 'already-revoked', token: view(doc) };
    const revokedAt = new Date();
    const updated = await this.collection.findOneAndUpdate(
      { _id: doc._id, revokedAt: null },
      { $set: { revokedAt } },
      { returnDocument: 'after' },
    );
    if (updated !== null) return { status: 'revoked', token: view(updated) };
    // Another operator revoked it between the read and the update.
    const current = await this.collection.findOne({ _id: doc._id });
    return current === null ? { status: 'not-found' } : { status: 'already-revoked', token: view(current) };
  }

  /** The tokens the ingress accepts now: every one not revoked. */
  async activeEntries(): Promise<ActiveTokenEntry[]> {
    const docs = await this.collection.find({ revokedAt: null }, { projection: { _id: 1, workspace: 1 } }).toArray();
    return docs.map((doc) => ({ workspace: doc.workspace, tokenHash: doc._id }));
  }
}
