import { ObjectId } from 'bson';
import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import type { CollectionStore } from '../engine/collection-store.js';
import type { ReadView } from '../engine/read-view.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { idFirst } from '../update/apply-update.js';
import { encodedSize } from '../wire/bson-codec.js';
import { MAX_BSON_OBJECT_SIZE } from '../wire/opcodes.js';

/** Gives a document an `_id` (first field) when it has none and checks what mongod checks. */
export function prepareForInsert(doc: unknown): Doc {
  if (!isPlainObject(doc)) fail(ErrorCode.TypeMismatch, 'Insert document must be an object');
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Array.isArray(doc._id)) fail(ErrorCode.BadValue, "can't use an array for _id");
  if (doc._id instanceof RegExp) fail(ErrorCode.BadValue, "can't use a regex for _id");
  // mongod's storage validation: an _id document may not hold a `$`-prefixed field.
  const dollar = isPlainObject(doc._id) ? Object.keys(doc._id).find((k) => k.startsWith('$')) : undefined;
  if (dollar !== undefined) {
    fail(ErrorCode.DollarPrefixedFieldName, `_id fields may not contain '$'-prefixed fields: ${dollar} is not valid for storage.`);
  }
  return idFirst(doc);
}

/** mongod refuses documents over 16 MiB (BSONObjMaxUserSize). */
export function checkInsertSize(doc: Doc): void {
  const size = encodedSize(doc);
  if (size > MAX_BSON_OBJECT_SIZE) {
    fail(ErrorCode.BadValue, `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`);
  }
}

/** An update may not grow a document past 16 MiB. */
export function checkUpdatedSize(doc: Doc): void {
  if (encodedSize(doc) > MAX_BSON_OBJECT_SIZE) {
    fail(ErrorCode.Location17419, `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`);
  }
}

/** Inserts one prepared document. */
export function insertDocument(coll: CollectionStore, doc: Doc, view: ReadView): void {
  coll.insert(doc, view);
}
