/**
 * Wire-protocol constants. Only the opcodes a current driver sends are understood; every other
 * opcode closes the connection, as mongod does for the legacy opcodes it removed in 5.1.
 */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

/** Size of the standard message header: messageLength, requestID, responseTo, opCode. */
export const HEADER_SIZE = 16;

/** mongod's limits, advertised in hello and enforced on every message. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
export const MAX_WRITE_BATCH_SIZE = 100_000;

/** OP_MSG flag bits. */
export const MSG_CHECKSUM_PRESENT = 1 << 0;
export const MSG_MORE_TO_COME = 1 << 1;
export const MSG_EXHAUST_ALLOWED = 1 << 16;

/** Parsed standard message header. */
export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}
