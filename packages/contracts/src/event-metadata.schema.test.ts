import { describe, expect, it } from 'vitest';
import { MAX_METADATA_KEY_LENGTH, MAX_METADATA_KEYS, MAX_METADATA_STRING_LENGTH, parseEventMetadata } from './event-metadata.schema.js';

const field = (raw: unknown) => {
  const result = parseEventMetadata(raw);
  if (result.ok) throw new Error('expected a validation error');
  expect(result.errors[0]?.code).toBe('parameter_invalid');
  return result.errors[0]?.field;
};

describe('event metadata', () => {
  it('accepts every type Intercom documents, in the order sent', () => {
    const metadata = {
      source: 'desktop',
      load: 3.67,
      contact_date: 1392036272,
      article: 'https://example.org/ab1de.html',
      rich: { url: 'https://example.org/ab1de.html', value: 'the dude abides' },
      price: { amount: 34999, currency: 'eur' },
    };
    const result = parseEventMetadata(metadata);
    expect(result.ok && JSON.stringify(result.value)).toBe(JSON.stringify(metadata));
  });

  it(`accepts ${MAX_METADATA_KEYS} keys and refuses more (Intercom would drop them silently)`, () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(parseEventMetadata(keys(MAX_METADATA_KEYS)).ok).toBe(true);
    expect(field(keys(MAX_METADATA_KEYS + 1))).toBe('metadata');
  });

  it('bounds key and string lengths', () => {
    expect(parseEventMetadata({ ['k'.repeat(MAX_METADATA_KEY_LENGTH)]: 'x'.repeat(MAX_METADATA_STRING_LENGTH) }).ok).toBe(true);
    expect(field({ ['k'.repeat(MAX_METADATA_KEY_LENGTH + 1)]: 'x' })).toBe('metadata');
    expect(field({ '': 'x' })).toBe('metadata');
    expect(field({ note: 'x'.repeat(MAX_METADATA_STRING_LENGTH + 1) })).toBe('metadata.note');
  });

  it.each([
    ['a nested object', { deep: { a: 1 } }, 'metadata.deep'],
    ['an array', { tags: ['a', 'b'] }, 'metadata.tags'],
    ['null', { gone: null }, 'metadata.gone'],
    ['a boolean', { flag: true }, 'metadata.flag'],
    ['a non-integer _date', { paid_date: 1.5 }, 'metadata.paid_date'],
    ['a string _date', { paid_date: 'yesterday' }, 'metadata.paid_date'],
    ['a rich link without http(s)', { a: { url: 'javascript:x', value: 'v' } }, 'metadata.a'],
    ['a fractional amount', { price: { amount: 1.5, currency: 'eur' } }, 'metadata.price'],
    ['a negative amount', { price: { amount: -1, currency: 'eur' } }, 'metadata.price'],
    ['a bad currency', { price: { amount: 1, currency: 'euro' } }, 'metadata.price'],
    ['a monetary amount with extra keys', { price: { amount: 1, currency: 'eur', tax: 2 } }, 'metadata.price'],
    ['a non-object', 'source=desktop', 'metadata'],
    ['an array instead of an object', [['a', 1]], 'metadata'],
  ])('refuses %s, naming the field', (_label, raw, name) => {
    expect(field(raw)).toBe(name);
  });
});
