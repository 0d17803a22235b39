import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';
import { expectServerError } from './expect-server-error.js';

let t: ContractTarget;
beforeAll(async () => {
  t = await openContractTarget('handshake');
});
afterAll(async () => {
  await t.close();
});

describe('handshake and server commands', () => {
  it('answers hello as the writable primary of a replica set with the limits drivers need', async () => {
    const hello = await t.db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe('string');
    expect(hello.hosts).toContain(hello.me);
    expect(hello.primary).toBe(hello.me);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.maxMessageSizeBytes).toBe(48_000_000);
    expect(hello.maxWriteBatchSize).toBe(100_000);
    expect(hello.localTime).toBeInstanceOf(Date);
  });

  it('answers the legacy isMaster spelling with ismaster: true', async () => {
    const reply = await t.db.admin().command({ isMaster: 1 });
    expect(reply.ismaster).toBe(true);
    expect(reply.setName).toBeDefined();
  });

  it('answers ping and buildInfo', async () => {
    expect((await t.db.command({ ping: 1 })).ok).toBe(1);
    const info = await t.db.admin().command({ buildInfo: 1 });
    expect(typeof info.version).toBe('string');
    expect(Array.isArray(info.versionArray)).toBe(true);
  });

  it('returns CommandNotFound (59) for unknown commands', async () => {
    await expect(t.db.command({ noSuchCommandAtAll: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
      message: "no such command: 'noSuchCommandAtAll'",
    });
  });

  it('lists databases and collections it holds', async () => {
    await t.db.collection('listed').insertOne({ x: 1 });
    const dbs = await t.db.admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(t.db.databaseName);
    const colls = await t.db.listCollections().toArray();
    const listed = colls.find((c) => c.name === 'listed');
    expect(listed?.type).toBe('collection');
    const names = await t.db.listCollections({}, { nameOnly: true }).toArray();
    expect(names.map((c) => c.name)).toContain('listed');
  });

  it('creates collections explicitly and refuses to create one twice (48)', async () => {
    await t.db.createCollection('explicit');
    expect((await t.db.listCollections({ name: 'explicit' }).toArray()).length).toBe(1);
    await expectServerError(t.db.command({ create: 'explicit' }), {
      code: 48,
      codeName: 'NamespaceExists',
      message: `Collection already exists. NS: ${t.db.databaseName}.explicit`,
    });
  });

  it('drops collections and databases', async () => {
    const coll = t.db.collection('dropme');
    await coll.insertOne({ a: 1 });
    expect(await coll.drop()).toBe(true);
    expect(await coll.countDocuments()).toBe(0);
    const other = t.client.db(`${t.db.databaseName}_other`);
    await other.collection('c').insertOne({ a: 1 });
    expect(await other.dropDatabase()).toBe(true);
    const dbs = await t.db.admin().listDatabases({ nameOnly: true });
    expect(dbs.databases.map((d) => d.name)).not.toContain(other.databaseName);
  });
});
