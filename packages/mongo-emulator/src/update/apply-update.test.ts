import { describe, expect, it } from 'vitest';
import type { Doc } from '../bson/bson-types.js';
import { CommandError } from '../errors/command-error.js';
import { applyUpdate } from './apply-update.js';
import { compileUpdate } from './update-spec.js';

const run = (doc: Doc, update: unknown, inserting = false) => applyUpdate(compileUpdate(update), doc, inserting);

function errorOf(fn: () => unknown): CommandError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error('expected a CommandError');
}

describe('applyUpdate', () => {
  it('never mutates the stored document', () => {
    const doc = Object.freeze({ _id: 1, a: Object.freeze({ b: 1 }), list: Object.freeze([1]) }) as Doc;
    const { doc: out } = run(doc, { $inc: { 'a.b': 1 }, $push: { list: 2 } });
    expect(out).toEqual({ _id: 1, a: { b: 2 }, list: [1, 2] });
    expect(doc).toEqual({ _id: 1, a: { b: 1 }, list: [1] });
  });

  it('adds new fields in field-name order, as mongod does', () => {
    const { doc } = run({ _id: 1 }, { $set: { z: 1, b: 1 }, $inc: { a: 1 } });
    expect(Object.keys(doc)).toEqual(['_id', 'a', 'b', 'z']);
  });

  it('reports whether anything changed', () => {
    expect(run({ _id: 1, a: 1 }, { $set: { a: 1 } }).changed).toBe(false);
    expect(run({ _id: 1, a: 1 }, { $max: { a: 0 } }).changed).toBe(false);
    expect(run({ _id: 1, a: 1 }, { $unset: { missing: '' } }).changed).toBe(false);
    expect(run({ _id: 1, a: 1 }, { $set: { a: 2 } }).changed).toBe(true);
  });

  it('applies $setOnInsert only when inserting', () => {
    expect(run({ _id: 1 }, { $setOnInsert: { a: 1 } }).doc).toEqual({ _id: 1 });
    expect(run({ _id: 1 }, { $setOnInsert: { a: 1 } }, true).doc).toEqual({ _id: 1, a: 1 });
  });

  it('pads arrays with null when setting past the end, and $unset nulls array elements', () => {
    expect(run({ _id: 1, a: [1] }, { $set: { 'a.3': 4 } }).doc).toEqual({ _id: 1, a: [1, null, null, 4] });
    expect(run({ _id: 1, a: [1, 2] }, { $unset: { 'a.0': '' } }).doc).toEqual({ _id: 1, a: [null, 2] });
  });

  it('fails like mongod: 14 for $inc on a string, 28 through a scalar or an array, 66 for _id changes', () => {
    expect(errorOf(() => run({ _id: 'k', s: 'x' }, { $inc: { s: 1 } })).message).toBe(
      `Cannot apply $inc to a value of non-numeric type. {_id: "k"} has the field 's' of non-numeric type string`,
    );
    expect(errorOf(() => run({ _id: 1, a: null }, { $set: { 'a.b': 1 } })).message).toBe("Cannot create field 'b' in element {a: null}");
    expect(errorOf(() => run({ _id: 1, a: [1] }, { $set: { 'a.b': 1 } })).code).toBe(28);
    expect(errorOf(() => run({ _id: 1 }, { $set: { _id: 2 } })).code).toBe(66);
    expect(errorOf(() => run({ _id: 1 }, { $unset: { _id: '' } })).code).toBe(66);
    expect(errorOf(() => run({ _id: 1, p: 'x' }, { $push: { p: 1 } })).code).toBe(2);
  });

  it('replacement documents keep the _id', () => {
    expect(run({ _id: 1, a: 1 }, { b: 2 }).doc).toEqual({ _id: 1, b: 2 });
    expect(errorOf(() => run({ _id: 1 }, { _id: 2 })).code).toBe(66);
  });
});
