import type { Document } from 'bson';
import { decodeDocument } from './bson-codec.js';
import { writeHeader } from './message-framer.js';
import { OP_REPLY } from './opcodes.js';

/** The parts of a legacy OP_QUERY a handshake needs. */
export interface OpQueryRequest {
  collection: string;
  query: Document;
}

/**
 * Parses OP_QUERY. Drivers still open every connection with an OP_QUERY `isMaster` on
 * `admin.$cmd`; mongod answers only that handshake through the legacy path.
 */
export function parseOpQuery(body: Buffer): OpQueryRequest {
  const nul = body.indexOf(0, 4);
  if (nul < 0) throw new Error('Unterminated collection name in OP_QUERY');
  const collection = body.toString('utf8', 4, nul);
  const docStart = nul + 1 + 8;
  if (docStart + 5 > body.length) throw new Error('OP_QUERY is truncated');
  const size = body.readInt32LE(docStart);
  if (size < 5 || docStart + size > body.length) throw new Error('OP_QUERY document is truncated');
  let query = decodeDocument(body.subarray(docStart, docStart + size));
  // Old drivers wrapped the command with read preference: { $query: {...}, $readPreference }.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  return { collection, query };
}

/** Builds the header and fixed fields of a one-document OP_REPLY. */
export function opReplyPrefix(requestId: number, responseTo: number, bodyLength: number): Buffer {
  const prefix = Buffer.allocUnsafe(36);
  writeHeader(prefix, requestId, responseTo, OP_REPLY);
  prefix.writeInt32LE(36 + bodyLength, 0);
  prefix.writeInt32LE(0, 16); // responseFlags
  prefix.writeBigInt64LE(0n, 20); // cursorID
  prefix.writeInt32LE(0, 28); // startingFrom
  prefix.writeInt32LE(1, 32); // numberReturned
  return prefix;
}
