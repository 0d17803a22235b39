import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';

// mongod's TTL monitor runs every 60 s and cannot be sped up from a client, so against a real
// server (MONGO_URL) this file only checks the index exists; against the emulator the sweep runs
// every 50 ms and the expiry itself is asserted.
let t: ContractTarget;
beforeAll(async () => {
  t = await openContractTarget('ttl', { ttlSweepMs: 50 });
});
afterAll(async () => {
  await t.close();
});

describe('TTL indexes', () => {
  it('deletes documents whose date is older than expireAfterSeconds, and keeps the rest', async () => {
    const coll = t.db.collection('expiring');
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
    const old = new Date(Date.now() - 3_600_000);
    await coll.insertMany([
      { _id: 'old', at: old },
      { _id: 'old-array', at: [new Date(), old] },
      { _id: 'fresh', at: new Date() },
      { _id: 'not-a-date', at: 'yesterday' },
      { _id: 'missing' },
    ] as never[]);
    if (!t.isEmulator) {
      expect(await coll.countDocuments()).toBeGreaterThan(0);
      return;
    }
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && (await coll.countDocuments()) > 3) await new Promise((r) => setTimeout(r, 25));
    const left = (await coll.find({}).toArray()).map((d) => d._id).sort();
    expect(left).toEqual(['fresh', 'missing', 'not-a-date']);
  });
});
