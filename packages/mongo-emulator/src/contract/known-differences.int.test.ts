import { Decimal128, Double, Int32, Long } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';

// Where the emulator deliberately differs from mongod. Each test states both behaviours and
// asserts the one of the server it runs against; README.md lists the same differences.
let t: ContractTarget;
beforeAll(async () => {
  t = await openContractTarget('differences');
});
afterAll(async () => {
  await t.close();
});

describe('deliberate differences from mongod', () => {
  it('numbers: mongod keeps int32/int64/double apart; the emulator stores every number as a JS number', async () => {
    const coll = t.db.collection('numbers');
    await coll.insertOne({ _id: 1, i: new Int32(5), l: Long.fromNumber(5), d: new Double(5), big: Long.fromNumber(2 ** 40) } as never);
    const raw = await coll.findOne({ _id: 1 } as never, { promoteValues: false });
    if (t.isEmulator) {
      // Small integral values come back as int32 whatever was sent; larger ones as double.
      expect(raw?.l).toBeInstanceOf(Int32);
      expect(raw?.d).toBeInstanceOf(Int32);
      expect(raw?.big).toBeInstanceOf(Double);
      // $type on number subtypes is answered from the JS value (mingo), not the stored type.
    } else {
      expect(raw?.l).toBeInstanceOf(Long);
      expect(raw?.d).toBeInstanceOf(Double);
      expect(await coll.countDocuments({ l: { $type: 'long' } })).toBe(1);
    }
    // What applications see with default driver options is the same on both.
    expect(await coll.findOne({ _id: 1 } as never)).toEqual({ _id: 1, i: 5, l: 5, d: 5, big: 2 ** 40 });
  });

  it('Decimal128 is stored and returned, but arithmetic on it is done in binary floating point', async () => {
    const coll = t.db.collection('decimals');
    await coll.insertOne({ _id: 1, price: Decimal128.fromString('1.10') } as never);
    expect(String((await coll.findOne({ _id: 1 } as never))?.price)).toBe('1.10');
    await coll.updateOne({ _id: 1 } as never, { $inc: { price: 1 } });
    const after = (await coll.findOne({ _id: 1 } as never))?.price;
    if (t.isEmulator) expect(after).toBeCloseTo(2.1, 10);
    else expect(String(after)).toBe('2.10');
  });

  it('change streams: supported by a replica set, refused by the emulator (IllegalOperation, 20)', async () => {
    const coll = t.db.collection('watched');
    await coll.insertOne({ a: 1 });
    const stream = coll.watch();
    if (t.isEmulator) {
      await expect(stream.tryNext()).rejects.toMatchObject({ code: 20 });
    } else {
      await expect(stream.tryNext()).resolves.toBeNull();
    }
    await stream.close();
  });
});
