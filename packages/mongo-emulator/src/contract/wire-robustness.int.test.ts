import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MongoEmulator } from '../index.js';
import { startMongoEmulator } from '../index.js';
import { frame, opMsg, opQuery, RawWire } from './raw-wire.js';

// Protocol-level abuse of the emulator itself: these tests always start their own emulator
// (they do not run against MONGO_URL) because they check how this server survives bad input.
let emu: MongoEmulator;
let client: MongoClient;
beforeAll(async () => {
  emu = await startMongoEmulator();
  client = new MongoClient(emu.uri, { serverSelectionTimeoutMS: 3000 });
  await client.connect();
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

/** Proves the server still serves: a raw ping on a new connection and a driver round trip. */
async function stillServes(): Promise<void> {
  const wire = await RawWire.open(emu.port);
  wire.write(opMsg(99, { ping: 1, $db: 'admin' }));
  const reply = await wire.read();
  expect(reply?.doc.ok).toBe(1);
  wire.close();
  expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
}

describe('wire protocol', () => {
  it('answers the legacy OP_QUERY isMaster handshake with OP_REPLY', async () => {
    const wire = await RawWire.open(emu.port);
    wire.write(opQuery(7, 'admin.$cmd', { isMaster: 1, helloOk: true }));
    const reply = await wire.read();
    expect(reply?.opCode).toBe(1);
    expect(reply?.responseTo).toBe(7);
    expect(reply?.doc).toMatchObject({ ismaster: true, helloOk: true, ok: 1, maxWireVersion: 21 });
    expect(reply?.doc.topologyVersion).toBeUndefined();
    expect(reply?.doc.compression).toBeUndefined();
    wire.close();
  });

  it('refuses other commands over OP_QUERY with UnsupportedOpQueryCommand (352)', async () => {
    const wire = await RawWire.open(emu.port);
    wire.write(opQuery(8, 'test.$cmd', { find: 'c' }));
    const reply = await wire.read();
    expect(reply?.doc).toMatchObject({ ok: 0, code: 352, codeName: 'UnsupportedOpQueryCommand' });
    wire.close();
  });

  it('reassembles a request split into single bytes, and answers two requests sent in one chunk', async () => {
    const wire = await RawWire.open(emu.port);
    const bytes = opMsg(11, { ping: 1, $db: 'admin' });
    for (const byte of bytes) {
      wire.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    expect((await wire.read())?.responseTo).toBe(11);
    wire.write(Buffer.concat([opMsg(12, { ping: 1, $db: 'admin' }), opMsg(13, { ping: 1, $db: 'admin' })]));
    expect((await wire.read())?.responseTo).toBe(12);
    expect((await wire.read())?.responseTo).toBe(13);
    wire.close();
  });

  it('folds kind-1 document sequences into the command', async () => {
    const wire = await RawWire.open(emu.port);
    wire.write(opMsg(20, { insert: 'seq', $db: 'wire' }, { sequences: [['documents', [{ _id: 1 }, { _id: 2 }]]] }));
    expect((await wire.read())?.doc).toMatchObject({ n: 2, ok: 1 });
    wire.close();
  });

  it('never replies to a moreToCome message, but still runs it', async () => {
    const wire = await RawWire.open(emu.port);
    wire.write(opMsg(30, { insert: 'fireforget', documents: [{ _id: 'x' }], $db: 'wire' }, { flags: 2 }));
    wire.write(opMsg(31, { ping: 1, $db: 'admin' }));
    const reply = await wire.read();
    expect(reply?.responseTo).toBe(31);
    expect(await client.db('wire').collection('fireforget').countDocuments()).toBe(1);
    wire.close();
  });

  it('accepts the checksumPresent flag (trailing CRC32C is not verified)', async () => {
    const wire = await RawWire.open(emu.port);
    const msg = opMsg(40, { ping: 1, $db: 'admin' }, { flags: 1 });
    const withCrc = Buffer.concat([msg, Buffer.alloc(4)]);
    withCrc.writeInt32LE(withCrc.length, 0);
    wire.write(withCrc);
    expect((await wire.read())?.doc.ok).toBe(1);
    wire.close();
  });

  it('requires $db (40571)', async () => {
    const wire = await RawWire.open(emu.port);
    wire.write(opMsg(41, { ping: 1 }));
    expect((await wire.read())?.doc).toMatchObject({ ok: 0, code: 40571 });
    wire.close();
  });
});

describe('bad input never takes the server down', () => {
  it('garbage bytes: the connection is closed, other connections keep working', async () => {
    const wire = await RawWire.open(emu.port);
    wire.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(await wire.waitClosed()).toBe(true);
    await stillServes();
  });

  it('a declared length of 2 GB is refused with a ProtocolError before anything is buffered', async () => {
    const wire = await RawWire.open(emu.port);
    const header = Buffer.alloc(16);
    header.writeInt32LE(0x7fffffff, 0);
    header.writeInt32LE(50, 4);
    header.writeInt32LE(2013, 12);
    wire.write(header);
    const reply = await wire.read();
    expect(reply?.doc).toMatchObject({ ok: 0, code: 17, codeName: 'ProtocolError' });
    expect(String(reply?.doc.errmsg)).toContain('Max: 48000000');
    expect(await wire.waitClosed()).toBe(true);
    await stillServes();
  });

  it('a message just over maxMessageSizeBytes is refused the same way', async () => {
    const wire = await RawWire.open(emu.port);
    const header = Buffer.alloc(16);
    header.writeInt32LE(48_000_001, 0);
    header.writeInt32LE(51, 4);
    header.writeInt32LE(2013, 12);
    wire.write(header);
    expect((await wire.read())?.doc).toMatchObject({ ok: 0, code: 17 });
    expect(await wire.waitClosed()).toBe(true);
  });

  it('a truncated message followed by a disconnect leaves the server serving', async () => {
    const wire = await RawWire.open(emu.port);
    const msg = opMsg(60, { ping: 1, $db: 'admin' });
    wire.write(msg.subarray(0, msg.length - 5));
    await new Promise((r) => setTimeout(r, 50));
    wire.close();
    await stillServes();
  });

  it('an unknown opcode closes that connection only', async () => {
    const wire = await RawWire.open(emu.port);
    wire.write(frame(70, 9999, Buffer.alloc(8)));
    expect(await wire.waitClosed()).toBe(true);
    await stillServes();
  });

  it('OP_COMPRESSED is refused with an error and the connection closed', async () => {
    const wire = await RawWire.open(emu.port);
    const body = Buffer.alloc(9);
    body.writeInt32LE(2013, 0);
    body.writeInt32LE(10, 4);
    body[8] = 0;
    wire.write(frame(80, 2012, body));
    const reply = await wire.read();
    expect(reply?.responseTo).toBe(80);
    expect(reply?.doc).toMatchObject({ ok: 0, code: 17 });
    expect(await wire.waitClosed()).toBe(true);
    await stillServes();
  });

  it('invalid BSON inside an OP_MSG gets an error reply and the connection stays usable', async () => {
    const wire = await RawWire.open(emu.port);
    const bad = Buffer.alloc(4 + 1 + 12);
    bad.writeUInt32LE(0, 0);
    bad[4] = 0;
    bad.writeInt32LE(12, 5);
    bad.fill(0xff, 9);
    bad[16] = 0;
    wire.write(frame(90, 2013, bad));
    expect((await wire.read())?.doc).toMatchObject({ ok: 0, code: 22 });
    wire.write(opMsg(91, { ping: 1, $db: 'admin' }));
    expect((await wire.read())?.doc.ok).toBe(1);
    wire.close();
  });

  it('a length below the header size closes the connection', async () => {
    const wire = await RawWire.open(emu.port);
    const header = Buffer.alloc(16);
    header.writeInt32LE(3, 0);
    wire.write(header);
    expect(await wire.waitClosed()).toBe(true);
    await stillServes();
  });
});
