import type { Document } from 'bson';
import { BSON } from 'bson';

/**
 * How the emulator turns wire BSON into JS values and back. Numbers of every BSON type become
 * JS numbers (int64 beyond 2^53 stays a Long); this is the documented "number types collapse"
 * difference from mongod. Dates stay Dates, ObjectIds stay ObjectIds, binaries stay Binary.
 */
const DESERIALIZE = { promoteValues: true, promoteLongs: true, promoteBuffers: false } as const;

/** Size of bson's shared serialisation buffer; bigger documents need an explicit size hint. */
const DEFAULT_BUFFER = 17 * 1024 * 1024;

/** Decodes one BSON document from the start of `bytes`. */
export function decodeDocument(bytes: Uint8Array): Document {
  return BSON.deserialize(bytes, DESERIALIZE);
}

/** Encodes a document, growing bson's buffer when the document is larger than its default. */
export function encodeDocument(doc: Document): Uint8Array {
  try {
    return BSON.serialize(doc, { ignoreUndefined: false });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const size = BSON.calculateObjectSize(doc);
    if (size <= DEFAULT_BUFFER) throw err;
    BSON.setInternalBufferSize(size + 1024);
    return BSON.serialize(doc);
  }
}

/** Size in bytes of a document once encoded. */
export function encodedSize(doc: Document): number {
  return BSON.calculateObjectSize(doc);
}
