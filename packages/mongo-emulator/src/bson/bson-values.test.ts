import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { compareValues, valuesEqual } from './bson-compare.js';
import { formatObject, formatValue } from './value-format.js';
import { valueKey } from './value-key.js';

describe('compareValues (mongod sort order)', () => {
  it('orders by type first: MinKey < null < numbers < strings < objects < arrays < binData < ObjectId < bool < Date < regex < MaxKey', () => {
    const ordered = [
      new MinKey(),
      null,
      -1,
      2.5,
      'a',
      { a: 1 },
      [1],
      new Binary(Buffer.from('x')),
      new ObjectId(),
      false,
      true,
      new Date(0),
      /x/,
      new MaxKey(),
    ];
    for (let i = 0; i < ordered.length - 1; i++) expect(compareValues(ordered[i], ordered[i + 1])).toBe(-1);
  });

  it('compares numbers across types and Dates by time', () => {
    expect(compareValues(Long.fromNumber(3), 2.5)).toBe(1);
    expect(compareValues(Decimal128.fromString('1.5'), 1.5)).toBe(0);
    expect(compareValues(new Date(5), new Date(7))).toBe(-1);
    expect(valuesEqual(undefined, null)).toBe(true);
    expect(valuesEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  });
});

describe('valueKey (index keys)', () => {
  it('gives equal keys to values mongod considers equal and distinct keys otherwise', () => {
    expect(valueKey(1)).toBe(valueKey(Long.fromNumber(1)));
    expect(valueKey(0)).toBe(valueKey(-0));
    expect(valueKey(null)).toBe(valueKey(undefined));
    expect(valueKey('1')).not.toBe(valueKey(1));
    expect(valueKey(new Date(1))).not.toBe(valueKey(1));
    const id = new ObjectId();
    expect(valueKey(id)).toBe(valueKey(new ObjectId(id.toHexString())));
    expect(valueKey(['a', 'b'])).not.toBe(valueKey(['ab']));
    expect(valueKey({ a: 'x', b: 'y' })).not.toBe(valueKey({ b: 'y', a: 'x' }));
  });
});

describe('formatValue (mongod error text)', () => {
  it('prints like mongod', () => {
    const id = new ObjectId('65a1b2c3d4e5f67890123456');
    expect(formatObject({ _id: id, s: 'x', n: 1, d: new Date(5), z: null })).toBe(
      `{ _id: ObjectId('65a1b2c3d4e5f67890123456'), s: "x", n: 1, d: new Date(5), z: null }`,
    );
    expect(formatValue([1, { a: true }])).toBe('[ 1, { a: true } ]');
    expect(formatValue(2.5)).toBe('2.5');
  });
});
