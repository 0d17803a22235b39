import { MongoNetworkError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { isPermanentMongoError, PERMANENT_SERVER_ERRORS } from './errors.js';

/** What the driver builds from a server reply `{ ok: 0, code, codeName, errmsg, errorLabels }`. */
const serverError = (code: number, codeName: string, errmsg = `${codeName} from the server`, errorLabels: string[] = []) =>
  new MongoServerError({ ok: 0, code, codeName, errmsg, errorLabels });

describe('isPermanentMongoError', () => {
  it.each([
    [64, 'WriteConcernFailed'],
    [46, 'LockBusy'],
    [63, 'StaleShardVersion'],
    [150, 'StaleEpoch'],
    [13388, 'StaleConfig'],
    [91, 'ShutdownInProgress'],
    [11602, 'InterruptedDueToReplStateChange'],
    [189, 'PrimarySteppedDown'],
    [13, 'Unauthorized'],
    [8000, 'AtlasError'],
    [999_999, 'NoSuchCodeYet'],
  ])('retries %i %s (the server state, not the data, is at fault)', (code, name) => {
    expect(isPermanentMongoError(serverError(code, name))).toBe(false);
  });

  it('retries an election error that carries a retry label, whatever its code', () => {
    expect(isPermanentMongoError(serverError(10107, 'NotWritablePrimary', 'not primary', ['RetryableWriteError']))).toBe(false);
    expect(isPermanentMongoError(serverError(2, 'BadValue', 'bad', ['TransientTransactionError']))).toBe(false);
  });

  it.each(Object.entries(PERMANENT_SERVER_ERRORS).filter(([name]) => name !== 'DuplicateKey'))(
    'gives up on %s (%i): the write can never succeed as sent',
    (name, code) => {
      expect(isPermanentMongoError(serverError(code, name))).toBe(true);
    },
  );

  it('gives up on a duplicate key in event_summaries (two names that collide once encoded)', () => {
    const dup = serverError(
      11000,
      'DuplicateKey',
      'E11000 duplicate key error collection: tally.event_summaries index: workspace_user_event_unique dup key: { workspace: "beta" }',
    );
    expect(isPermanentMongoError(dup)).toBe(true);
  });

  it('retries a duplicate key in the ingest ledger (another worker committed the same job first)', () => {
    const race = serverError(
      11000,
      'DuplicateKey',
      'E11000 duplicate key error collection: tally.ingest_ledger index: _id_ dup key: { _id: "job:1" }',
    );
    expect(isPermanentMongoError(race)).toBe(false);
  });

  it("retries network failures and errors that are not MongoDB's", () => {
    expect(isPermanentMongoError(new MongoNetworkError('connection reset'))).toBe(false);
    expect(isPermanentMongoError(new Error('anything else'))).toBe(false);
  });
});
