import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors/command-error.js';
import { checkInsertSize, prepareForInsert } from './insert-document.js';

describe('prepareForInsert', () => {
  it('adds an ObjectId _id as the first field, or moves an existing _id first', () => {
    const doc = prepareForInsert({ a: 1 });
    expect(Object.keys(doc)).toEqual(['_id', 'a']);
    expect(doc._id).toBeInstanceOf(ObjectId);
    expect(Object.keys(prepareForInsert({ a: 1, _id: 5 }))).toEqual(['_id', 'a']);
  });

  it('refuses arrays as _id and documents over 16 MiB', () => {
    expect(() => prepareForInsert({ _id: [1] })).toThrow("can't use an array for _id");
    let err: unknown;
    try {
      checkInsertSize({ s: 'x'.repeat(16 * 1024 * 1024) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).message).toMatch(/^object to insert too large\. size in bytes: \d+, max size: 16777216$/);
  });
});
