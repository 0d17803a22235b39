import { Query } from 'mingo';
import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { splitPath, valuesAtPath } from '../bson/field-path.js';
import { valueKey } from '../bson/value-key.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { QUERY_OPTIONS } from '../query/mingo-options.js';
import type { IndexSpec } from './index-spec.js';

/** One key of a document in an index: the encoded key and the field values it came from. */
export interface IndexEntry {
  key: string;
  values: unknown[];
}

/**
 * A hash index over one or more fields, mapping encoded keys to record keys. It holds the keys
 * of every version of a record that some reader may still see (not just the newest), so readers
 * always re-check candidates against the version visible to them.
 */
export class SecondaryIndex {
  readonly fields: string[];
  readonly #paths: string[][];
  readonly #partial: Query | null;
  readonly #entries = new Map<string, string | Set<string>>();

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.#paths = this.fields.map((f) => splitPath(f));
    this.#partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, QUERY_OPTIONS) : null;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Encoded keys of a document (several for array fields); empty when the index skips it. */
  keysOf(doc: Doc): string[] {
    if (!this.#partial && !this.spec.sparse) {
      // Fast path: plain (non-array) values need no tuple building.
      let key = '';
      for (let i = 0; i < this.#paths.length; i++) {
        const v = plainValue(doc, this.#paths[i] as string[]);
        if (v === NOT_PLAIN) return this.entriesOf(doc).map((e) => e.key);
        key = i === 0 ? valueKey(v) : `${key}\u0000${valueKey(v)}`;
      }
      return [key];
    }
    return this.entriesOf(doc).map((e) => e.key);
  }

  /** Keys with the values behind them, for duplicate-key messages. */
  entriesOf(doc: Doc): IndexEntry[] {
    if (this.#partial && !this.#partial.test(doc)) return [];
    const raw = this.#paths.map((p) => valuesAtPath(doc, p));
    const perField = raw.map(expand);
    if (this.spec.sparse && perField.every((vs) => vs.length === 1 && vs[0] === undefined)) return [];
    // mongod refuses a document with arrays in two fields of one compound index.
    const arrays = raw.filter((vs) => vs.length > 1 || vs.some(Array.isArray));
    if (arrays.length > 1) {
      fail(ErrorCode.CannotIndexParallelArrays, `cannot index parallel arrays [${this.fields.join('] [')}]`);
    }
    let tuples: unknown[][] = [[]];
    for (const values of perField) {
      const next: unknown[][] = [];
      for (const t of tuples) for (const v of values) next.push([...t, v]);
      tuples = next;
    }
    const seen = new Set<string>();
    const out: IndexEntry[] = [];
    for (const values of tuples) {
      const key = values.map(valueKey).join('\u0000');
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ key, values });
      }
    }
    return out;
  }

  /** The encoded key for a tuple of equality values, in index field order. */
  keyFor(values: unknown[]): string {
    return values.map(valueKey).join('\u0000');
  }

  add(key: string, recordKey: string): void {
    const cur = this.#entries.get(key);
    if (cur === undefined) this.#entries.set(key, recordKey);
    else if (typeof cur === 'string') {
      if (cur !== recordKey) this.#entries.set(key, new Set([cur, recordKey]));
    } else cur.add(recordKey);
  }

  remove(key: string, recordKey: string): void {
    const cur = this.#entries.get(key);
    if (cur === undefined) return;
    if (typeof cur === 'string') {
      if (cur === recordKey) this.#entries.delete(key);
    } else {
      cur.delete(recordKey);
      if (cur.size === 1) this.#entries.set(key, cur.values().next().value as string);
    }
  }

  /** Record keys that have (or had, in a version someone may still read) this key. */
  lookup(key: string): readonly string[] {
    const cur = this.#entries.get(key);
    if (cur === undefined) return [];
    return typeof cur === 'string' ? [cur] : [...cur];
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Multikey expansion: an array value contributes each element; an empty array one undefined-like key. */
function expand(values: unknown[]): unknown[] {
  if (values.length === 1 && !Array.isArray(values[0])) return values;
  const out: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(EMPTY_ARRAY);
      else out.push(...v);
    } else out.push(v);
  }
  return out;
}

/** mongod indexes an empty array as `undefined`, distinct from null/missing. */
const EMPTY_ARRAY: unknown[] = [];

const NOT_PLAIN = Symbol('not-plain');

/** The value at a path when no array is involved on the way or at the end; else NOT_PLAIN. */
function plainValue(doc: Doc, parts: string[]): unknown {
  let cur: unknown = doc;
  for (const part of parts) {
    if (cur === undefined || cur === null) return undefined;
    if (Array.isArray(cur)) return NOT_PLAIN;
    if (typeof cur !== 'object' || !isPlainObject(cur)) return undefined;
    cur = (cur as Doc)[part];
  }
  return Array.isArray(cur) ? NOT_PLAIN : cur;
}
