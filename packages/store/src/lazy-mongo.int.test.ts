import { freePort, stopAll } from '@tally/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { LazyMongo } from './lazy-mongo.js';

afterAll(async () => {
  await stopAll();
});

describe('LazyMongo', () => {
  it('closes at once while a connect to an unreachable server is still selecting', async () => {
    const mongo = new LazyMongo(`mongodb://127.0.0.1:${await freePort()}/`, { serverSelectionTimeoutMS: 10_000 });
    const using = mongo.db('x');
    using.catch(() => undefined);
    const started = Date.now();
    await mongo.close();
    await expect(using).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
