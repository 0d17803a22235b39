import type { Document } from 'bson';
import { decodeDocument } from './bson-codec.js';
import { writeHeader } from './message-framer.js';
import { MSG_CHECKSUM_PRESENT, MSG_MORE_TO_COME, OP_MSG } from './opcodes.js';

/** A decoded OP_MSG: the command body with every kind-1 document sequence folded into it. */
export interface OpMsgRequest {
  flags: number;
  moreToCome: boolean;
  command: Document;
}

/** Raised for a structurally invalid OP_MSG; answered with an error, the framing is still sound. */
export class OpMsgParseError extends Error {}

/**
 * Parses an OP_MSG body (the bytes after the header). Kind-1 sections ("documents", "updates",
 * "deletes") are attached to the command under their identifier, which is exactly how mongod
 * presents them to command implementations.
 */
export function parseOpMsg(body: Buffer): OpMsgRequest {
  if (body.length < 5) throw new OpMsgParseError('OP_MSG is too short');
  const flags = body.readUInt32LE(0);
  // Bits 0-15 are required: a flag we do not know must be refused (OP_MSG spec).
  const unknownRequired = flags & 0xffff & ~(MSG_CHECKSUM_PRESENT | MSG_MORE_TO_COME);
  if (unknownRequired !== 0) throw new OpMsgParseError(`Unrecognized flag bits ${unknownRequired}`);
  const end = flags & MSG_CHECKSUM_PRESENT ? body.length - 4 : body.length;
  let offset = 4;
  let command: Document | null = null;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = body[offset++];
    if (kind === 0) {
      if (command) throw new OpMsgParseError('Multiple body sections in OP_MSG');
      const size = readSize(body, offset, end);
      command = decodeDocument(body.subarray(offset, offset + size));
      offset += size;
    } else if (kind === 1) {
      const size = readSize(body, offset, end);
      const stop = offset + size;
      const nul = body.indexOf(0, offset + 4);
      if (nul < 0 || nul >= stop) throw new OpMsgParseError('Unterminated document sequence name');
      const name = body.toString('utf8', offset + 4, nul);
      const docs: Document[] = [];
      let at = nul + 1;
      while (at < stop) {
        const docSize = readSize(body, at, stop);
        docs.push(decodeDocument(body.subarray(at, at + docSize)));
        at += docSize;
      }
      sequences.push([name, docs]);
      offset = stop;
    } else {
      throw new OpMsgParseError(`Unknown section kind ${String(kind)}`);
    }
  }
  if (!command) throw new OpMsgParseError('OP_MSG has no body section');
  for (const [name, docs] of sequences) {
    if (name in command) throw new OpMsgParseError(`Duplicate field '${name}' in OP_MSG`);
    command[name] = docs;
  }
  return { flags, moreToCome: (flags & MSG_MORE_TO_COME) !== 0, command };
}

function readSize(buf: Buffer, offset: number, end: number): number {
  if (offset + 4 > end) throw new OpMsgParseError('Truncated section in OP_MSG');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new OpMsgParseError('Section size exceeds message');
  return size;
}

/** Builds the header and prefix of an OP_MSG reply; the BSON body is written after it. */
export function opMsgReplyPrefix(requestId: number, responseTo: number, bodyLength: number): Buffer {
  const prefix = Buffer.allocUnsafe(21);
  writeHeader(prefix, requestId, responseTo, OP_MSG);
  prefix.writeInt32LE(21 + bodyLength, 0);
  prefix.writeUInt32LE(0, 16);
  prefix[20] = 0;
  return prefix;
}
