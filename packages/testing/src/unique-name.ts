import { randomBytes } from 'node:crypto';

/** MongoDB Atlas caps database names at 38 bytes; the stricter limit keeps names portable. */
const MAX_LENGTH = 38;
const SUFFIX_LENGTH = 12;

let counter = 0;

/**
 * Returns a name no other test (in this process or a parallel one) will get, for a BullMQ queue,
 * a Redis key prefix or a MongoDB database.
 *
 * The result holds only `[a-z0-9_]`, starts with the sanitised prefix and is at most 38
 * characters: valid as a MongoDB database name everywhere (Atlas included) and free of the `:`
 * that BullMQ rejects in queue names. Uniqueness comes from a per-process counter plus random
 * bits, so two vitest workers that start in the same millisecond still differ.
 *
 * @param prefix - human hint shown first, e.g. the test file's subject (`"ingest"`).
 */
export function uniqueName(prefix: string): string {
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/_+/g, '_')
      .replace(/^_|_$/g, '') || 't';
  const head = clean.slice(0, MAX_LENGTH - SUFFIX_LENGTH - 1);
  counter += 1;
  const entropy = BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36);
  const suffix = `${counter.toString(36)}${entropy}`.slice(0, SUFFIX_LENGTH).padEnd(SUFFIX_LENGTH, '0');
  return `${head}_${suffix}`;
}
