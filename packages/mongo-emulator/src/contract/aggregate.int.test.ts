import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget } from './contract-harness.js';
import { openContractTarget } from './contract-harness.js';

let t: ContractTarget;
beforeAll(async () => {
  t = await openContractTarget('aggregate');
  await t.db.collection('events').insertMany([
    { user: 'a', kind: 'login', n: 2, tags: ['x', 'y'], at: new Date('2024-01-01Z') },
    { user: 'a', kind: 'view', n: 5, tags: ['x'], at: new Date('2024-01-03Z') },
    { user: 'b', kind: 'login', n: 1, tags: [], at: new Date('2024-01-02Z') },
  ]);
  await t.db.collection('users').insertMany([
    { _id: 'a', name: 'Ann' },
    { _id: 'b', name: 'Bob' },
  ] as never[]);
});
afterAll(async () => {
  await t.close();
});

describe('aggregate', () => {
  it('$match, $group, $sort', async () => {
    const out = await t.db
      .collection('events')
      .aggregate([
        { $match: { n: { $gte: 1 } } },
        { $group: { _id: '$user', total: { $sum: '$n' }, first: { $min: '$at' } } },
        { $sort: { total: -1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { _id: 'a', total: 7, first: new Date('2024-01-01Z') },
      { _id: 'b', total: 1, first: new Date('2024-01-02Z') },
    ]);
  });

  it('$project, $skip, $limit, $count, $unwind', async () => {
    const events = t.db.collection('events');
    expect(
      await events.aggregate([{ $sort: { at: 1 } }, { $skip: 1 }, { $limit: 1 }, { $project: { _id: 0, kind: 1 } }]).toArray(),
    ).toEqual([{ kind: 'login' }]);
    expect(await events.aggregate([{ $match: { kind: 'login' } }, { $count: 'logins' }]).toArray()).toEqual([{ logins: 2 }]);
    const tags = await events
      .aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', c: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(tags).toEqual([
      { _id: 'x', c: 2 },
      { _id: 'y', c: 1 },
    ]);
  });

  it('$lookup joins another collection of the same database', async () => {
    const out = await t.db
      .collection('events')
      .aggregate([
        { $match: { kind: 'view' } },
        { $lookup: { from: 'users', localField: 'user', foreignField: '_id', as: 'who' } },
        { $project: { _id: 0, name: { $first: '$who.name' } } },
      ])
      .toArray();
    expect(out).toEqual([{ name: 'Ann' }]);
  });

  it('returns large results through getMore', async () => {
    const coll = t.db.collection('big');
    await coll.insertMany(Array.from({ length: 300 }, (_, i) => ({ i })));
    const out = await coll.aggregate([{ $sort: { i: -1 } }], { batchSize: 50 }).toArray();
    expect(out).toHaveLength(300);
    expect(out[0]?.i).toBe(299);
  });

  it('countDocuments runs through aggregate', async () => {
    expect(await t.db.collection('events').countDocuments({ user: 'a' }, { skip: 1 })).toBe(1);
  });

  it('$listLocalSessions (admin, aggregate: 1) lists the sessions in use, with their lsid', async () => {
    const session = t.client.startSession();
    await t.db.collection('sessions').insertOne({ _id: 1 } as never, { session });
    const lsid = session.id?.id;
    const listed = await t.client
      .db('admin')
      .aggregate([{ $listLocalSessions: {} }])
      .toArray();
    await session.endSession();
    expect(listed.some((s) => Buffer.from(s._id.id.buffer).equals(Buffer.from(lsid?.buffer ?? [])))).toBe(true);
    expect(listed[0]?.lastUse).toBeInstanceOf(Date);
  });
});
