import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { OpMsgParseError, parseOpMsg } from './op-msg.js';

function body(flags: number, sections: Buffer[]): Buffer {
  const f = Buffer.alloc(4);
  f.writeUInt32LE(flags);
  return Buffer.concat([f, ...sections]);
}
const kind0 = (doc: object) => Buffer.concat([Buffer.from([0]), Buffer.from(BSON.serialize(doc))]);
function kind1(name: string, docs: object[]): Buffer {
  const payload = Buffer.concat([Buffer.from(`${name}\0`), ...docs.map((d) => Buffer.from(BSON.serialize(d)))]);
  const size = Buffer.alloc(4);
  size.writeInt32LE(payload.length + 4);
  return Buffer.concat([Buffer.from([1]), size, payload]);
}

describe('parseOpMsg', () => {
  it('folds document sequences into the command under their identifier', () => {
    const req = parseOpMsg(body(0, [kind0({ insert: 'c', $db: 'd' }), kind1('documents', [{ a: 1 }, { a: 2 }])]));
    expect(req.command).toEqual({ insert: 'c', $db: 'd', documents: [{ a: 1 }, { a: 2 }] });
    expect(req.moreToCome).toBe(false);
  });

  it('reports moreToCome and skips a trailing checksum', () => {
    const req = parseOpMsg(Buffer.concat([body(3, [kind0({ ping: 1, $db: 'a' })]), Buffer.alloc(4)]));
    expect(req.moreToCome).toBe(true);
    expect(req.command).toEqual({ ping: 1, $db: 'a' });
  });

  it('refuses unknown required flag bits, unknown section kinds, missing bodies and bad sizes', () => {
    expect(() => parseOpMsg(body(1 << 4, [kind0({ ping: 1 })]))).toThrow(OpMsgParseError);
    expect(() => parseOpMsg(body(0, [Buffer.from([7, 0, 0, 0, 0])]))).toThrow(/section kind/);
    expect(() => parseOpMsg(body(0, [kind1('documents', [{ a: 1 }])]))).toThrow(/no body/);
    const truncated = kind0({ ping: 1 }).subarray(0, 6);
    expect(() => parseOpMsg(body(0, [truncated]))).toThrow(OpMsgParseError);
  });

  it('accepts exhaustAllowed (an optional flag bit)', () => {
    expect(parseOpMsg(body(1 << 16, [kind0({ ping: 1 })])).command).toEqual({ ping: 1 });
  });
});
