import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoEmulator, startMongoEmulator } from './emulator-server.js';

/** Emulator-only by design: the mode exists to let Tally test its standalone fallback. */
describe('standalone mode', () => {
  let emulator: MongoEmulator;
  let client: MongoClient;
  beforeAll(async () => {
    emulator = await startMongoEmulator({ standalone: true });
    client = await new MongoClient(emulator.uri, { serverSelectionTimeoutMS: 2000 }).connect();
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it('answers hello like a standalone mongod, without a replica-set identity', async () => {
    const hello = await client.db('admin').command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.setName).toBeUndefined();
    expect(hello.hosts).toBeUndefined();
    expect(emulator.uri).not.toContain('replicaSet');
  });

  it('accepts plain writes and refuses transactions with IllegalOperation (20)', async () => {
    const coll = client.db('standalone_test').collection('c');
    await coll.insertOne({ _id: 1 } as never);
    expect(await coll.countDocuments()).toBe(1);
    const session = client.startSession();
    try {
      const error = await session
        .withTransaction(async () => {
          await coll.insertOne({ _id: 2 } as never, { session });
        })
        .then(
          () => null,
          (e: unknown) => e as { code?: number; message: string },
        );
      expect(error).not.toBeNull();
      // The driver or the server refuses, depending on what the driver can tell from hello.
      expect(error?.message).toMatch(/does not support|replica set member or mongos/);
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments()).toBe(1);
  });
});
