import type { BulkWriteResult, Collection, Document } from 'mongodb';

/** A collection operation of the unified format, run through the driver; returns its result. */
type CollectionOperation = (coll: Collection, args: Document) => Promise<unknown>;

/**
 * The CRUD operations on a collection entity, mapped onto the driver's API. Arguments arrive
 * with entities already resolved (`session`); results are shaped as the format expects them.
 */
export const COLLECTION_OPERATIONS: Record<string, CollectionOperation> = {
  insertOne: async (c, { document, ...o }) => {
    const r = await c.insertOne(document, o);
    return { insertedId: r.insertedId };
  },
  insertMany: async (c, { documents, ...o }) => {
    const r = await c.insertMany(documents, o);
    return { insertedIds: r.insertedIds };
  },
  updateOne: async (c, { filter, update, ...o }) => updateResult(await c.updateOne(filter, update, o)),
  updateMany: async (c, { filter, update, ...o }) => updateResult(await c.updateMany(filter, update, o)),
  replaceOne: async (c, { filter, replacement, ...o }) => updateResult(await c.replaceOne(filter, replacement, o)),
  deleteOne: async (c, { filter, ...o }) => ({ deletedCount: (await c.deleteOne(filter, o)).deletedCount }),
  deleteMany: async (c, { filter, ...o }) => ({ deletedCount: (await c.deleteMany(filter, o)).deletedCount }),
  find: async (c, { filter, ...o }) => c.find(filter, o).toArray(),
  findOne: async (c, { filter, ...o }) => c.findOne(filter, o),
  aggregate: async (c, { pipeline, ...o }) => c.aggregate(pipeline, o).toArray(),
  countDocuments: async (c, { filter, ...o }) => c.countDocuments(filter, o),
  estimatedDocumentCount: async (c, o) => c.estimatedDocumentCount(o),
  count: async (c, { filter, ...o }) => (c as unknown as { count(f: Document, o: Document): Promise<number> }).count(filter, o),
  distinct: async (c, { fieldName, filter, ...o }) => c.distinct(fieldName, filter, o),
  findOneAndUpdate: async (c, { filter, update, ...o }) => c.findOneAndUpdate(filter, update, returnDocument(o)),
  findOneAndReplace: async (c, { filter, replacement, ...o }) => c.findOneAndReplace(filter, replacement, returnDocument(o)),
  findOneAndDelete: async (c, { filter, ...o }) => c.findOneAndDelete(filter, o),
  bulkWrite: async (c, { requests, ...o }) => bulkResult(await c.bulkWrite(requests, o)),
  createIndex: async (c, { keys, ...o }) => c.createIndex(keys, o),
  dropIndex: async (c, { name, ...o }) => c.dropIndex(name, o),
  listIndexes: async (c, o) => c.listIndexes(o).toArray(),
};

function updateResult(r: { matchedCount: number; modifiedCount: number; upsertedCount: number; upsertedId: unknown }): Document {
  const out: Document = { matchedCount: r.matchedCount, modifiedCount: r.modifiedCount, upsertedCount: r.upsertedCount };
  if (r.upsertedId !== null && r.upsertedId !== undefined) out.upsertedId = r.upsertedId;
  return out;
}

/** The format spells returnDocument 'Before'/'After'; the driver 'before'/'after'. */
function returnDocument(o: Document): Document {
  return typeof o.returnDocument === 'string' ? { ...o, returnDocument: o.returnDocument.toLowerCase() } : o;
}

/** A BulkWriteResult as the format's plain result document. */
export function bulkResult(r: BulkWriteResult): Document {
  return {
    deletedCount: r.deletedCount,
    insertedCount: r.insertedCount,
    insertedIds: r.insertedIds,
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    upsertedCount: r.upsertedCount,
    upsertedIds: r.upsertedIds,
  };
}
