import { describe, expect, it } from 'vitest';
import { mongodErrorLabels } from './error-labels.js';
import { FailCommandPoint } from './fail-command-point.js';

const insert = { name: 'insert', namespace: 'db.c', appName: 'app' };

describe('FailCommandPoint modes', () => {
  it('activationProbability 0 never fires, 1 always does', () => {
    const point = new FailCommandPoint();
    point.configure({ activationProbability: 0 }, { failCommands: ['insert'], errorCode: 2 });
    expect(Array.from({ length: 20 }, () => point.evaluate(insert))).toEqual(Array(20).fill(null));
    point.configure({ activationProbability: 1 }, { failCommands: ['insert'], errorCode: 2 });
    expect(Array.from({ length: 20 }, () => point.evaluate(insert)?.errorCode)).toEqual(Array(20).fill(2));
  });

  it('{times: 0} is off; an unknown mode or a missing failCommands is refused', () => {
    const point = new FailCommandPoint();
    point.configure({ times: 0 }, { failCommands: ['insert'], errorCode: 2 });
    expect(point.evaluate(insert)).toBeNull();
    expect(() => point.configure('sometimes', { failCommands: ['insert'] })).toThrow(/mode/);
    expect(() => point.configure('alwaysOn', { errorCode: 2 })).toThrow(/failCommands/);
  });

  it('filters on namespace and appName', () => {
    const point = new FailCommandPoint();
    point.configure('alwaysOn', { failCommands: ['insert'], errorCode: 2, namespace: 'db.other' });
    expect(point.evaluate(insert)).toBeNull();
    point.configure('alwaysOn', { failCommands: ['insert'], errorCode: 2, appName: 'else' });
    expect(point.evaluate(insert)).toBeNull();
    point.configure('alwaysOn', { failCommands: ['insert'], blockConnection: true, blockTimeMS: 50, appName: 'app' });
    expect(point.evaluate(insert)).toMatchObject({ blockTimeMS: 50, closeConnection: false });
  });
});

describe("mongod's error labels for fail-point errors", () => {
  const txn = { txnNumber: 1, autocommit: false };
  it('transient inside a transaction, retryable on retryable writes and commit, none otherwise', () => {
    expect(mongodErrorLabels({ insert: 'c', ...txn }, 112, undefined)).toEqual(['TransientTransactionError']);
    expect(mongodErrorLabels({ insert: 'c', ...txn }, 10107, undefined)).toEqual(['TransientTransactionError']);
    expect(mongodErrorLabels({ commitTransaction: 1, ...txn }, 10107, undefined)).toEqual(['RetryableWriteError']);
    expect(mongodErrorLabels({ commitTransaction: 1, ...txn }, 251, undefined)).toEqual(['TransientTransactionError']);
    expect(mongodErrorLabels({ commitTransaction: 1, ...txn }, 11601, undefined)).toEqual([]);
    expect(mongodErrorLabels({ insert: 'c', txnNumber: 1 }, 91, undefined)).toEqual(['RetryableWriteError']);
    expect(mongodErrorLabels({ insert: 'c', txnNumber: 1 }, undefined, 91)).toEqual(['RetryableWriteError']);
    expect(mongodErrorLabels({ insert: 'c' }, 91, undefined)).toEqual([]);
  });
});
