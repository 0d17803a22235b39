import { describe, expect, it } from 'vitest';
import { FramingError, MessageFramer } from './message-framer.js';

function message(requestId: number, bodyLength: number): Buffer {
  const buf = Buffer.alloc(16 + bodyLength, 0xab);
  buf.writeInt32LE(buf.length, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(0, 8);
  buf.writeInt32LE(2013, 12);
  return buf;
}

describe('MessageFramer', () => {
  it('reassembles a message delivered one byte at a time', () => {
    const framer = new MessageFramer();
    const bytes = message(1, 40);
    const out = [];
    for (const b of bytes) out.push(...framer.push(Buffer.from([b])));
    expect(out).toHaveLength(1);
    expect(out[0]?.header).toEqual({ messageLength: 56, requestId: 1, responseTo: 0, opCode: 2013 });
    expect(out[0]?.body.length).toBe(40);
    expect(framer.pendingBytes).toBe(0);
  });

  it('cuts several messages out of one chunk and keeps a partial tail', () => {
    const framer = new MessageFramer();
    const third = message(3, 10);
    const chunk = Buffer.concat([message(1, 5), message(2, 0), third.subarray(0, 20)]);
    expect(framer.push(chunk).map((m) => m.header.requestId)).toEqual([1, 2]);
    expect(framer.pendingBytes).toBe(20);
    expect(framer.push(third.subarray(20)).map((m) => m.header.requestId)).toEqual([3]);
  });

  it('refuses lengths below the header size or above maxMessageSizeBytes without buffering', () => {
    const tooBig = Buffer.alloc(16);
    tooBig.writeInt32LE(0x7fffffff, 0);
    tooBig.writeInt32LE(9, 4);
    expect(() => new MessageFramer().push(tooBig)).toThrow(FramingError);
    try {
      new MessageFramer().push(tooBig);
    } catch (err) {
      expect((err as FramingError).message).toBe('recv(): message msgLen 2147483647 is invalid. Min 16 Max: 48000000');
      expect((err as FramingError).header?.requestId).toBe(9);
    }
    const tooSmall = Buffer.alloc(4);
    tooSmall.writeInt32LE(4, 0);
    expect(() => new MessageFramer().push(tooSmall)).toThrow(FramingError);
  });
});
