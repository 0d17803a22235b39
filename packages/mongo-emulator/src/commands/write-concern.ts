import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { ErrorCode } from '../errors/error-codes.js';

/** Data-bearing members of the emulator's replica set: itself. */
const MEMBERS = 1;

/**
 * The write-concern error mongod adds to a write that was applied but whose `writeConcern`
 * this one-member replica set cannot satisfy, or undefined when it can: `w` greater than the
 * member count is UnsatisfiableWriteConcern (100), an unknown tag is UnknownReplWriteConcern
 * (79); `w: 'majority'`, `w: 1` and `w: 0` are satisfied by the write itself. (w: 0 replies are
 * never sent: drivers send those writes with moreToCome.)
 */
export function writeConcernError(command: Doc): Doc | undefined {
  const wc = command.writeConcern;
  if (!isPlainObject(wc) || wc.w === undefined) return undefined;
  const w = typeof wc.w === 'number' ? wc.w : typeof wc.w === 'object' && wc.w !== null ? Number(wc.w.valueOf()) : wc.w;
  const errInfo = { writeConcern: { ...wc, wtimeout: wc.wtimeout ?? 0, provenance: 'clientSupplied' } };
  if (typeof w === 'number' && w > MEMBERS) {
    return {
      code: ErrorCode.UnsatisfiableWriteConcern,
      codeName: 'UnsatisfiableWriteConcern',
      errmsg: 'Not enough data-bearing nodes',
      errInfo,
    };
  }
  if (typeof w === 'string' && w !== 'majority') {
    return {
      code: ErrorCode.UnknownReplWriteConcern,
      codeName: 'UnknownReplWriteConcern',
      errmsg: `No write concern mode named '${w}' found in replica set configuration`,
      errInfo,
    };
  }
  return undefined;
}
