import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { isIndexSegment } from '../bson/field-path.js';
import { formatElement } from '../bson/value-format.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';

/** mongod's limit on how many nulls a positional $set may pad an array with. */
const MAX_BACKFILL = 1_500_000;

/** A container and the key inside it where a path ends. */
export interface Slot {
  container: Doc | unknown[];
  key: string;
}

/**
 * Copy-on-write editing of one document. Stored documents are immutable (snapshots and cursors
 * hold them), so the writer copies only the containers along the paths it changes.
 */
export class DocWriter {
  readonly root: Doc;
  readonly #owned = new Set<object>();

  /** `owned`: the caller hands over a document nobody else references, so it is not copied. */
  constructor(original: Doc, owned = false) {
    this.root = owned ? original : { ...original };
    this.#owned.add(this.root);
  }

  /** Reads the value at a path without expanding arrays. */
  get(parts: readonly string[]): unknown {
    let cur: unknown = this.root;
    for (const part of parts) {
      if (Array.isArray(cur)) cur = isIndexSegment(part) ? cur[Number(part)] : undefined;
      else if (isPlainObject(cur)) cur = cur[part];
      else return undefined;
      if (cur === undefined) return undefined;
    }
    return cur;
  }

  /**
   * The slot a path ends in, creating missing intermediate documents. Walking through a scalar,
   * or naming a field inside an array, fails with mongod's PathNotViable (28).
   */
  slotForWrite(parts: readonly string[]): Slot {
    let container: Doc | unknown[] = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      let next = this.#child(container, part);
      if (next === undefined) {
        if (Array.isArray(container) && !isIndexSegment(part)) this.#notViable(container, parts, i);
        next = {};
        this.#assign(container, part, next);
      } else if (!isPlainObject(next) && !Array.isArray(next)) {
        fail(ErrorCode.PathNotViable, `Cannot create field '${parts[i + 1] as string}' in element ${formatElement(part, next)}`);
      }
      container = this.#own(container, part, next as Doc | unknown[]);
    }
    const last = parts[parts.length - 1] as string;
    if (Array.isArray(container) && !isIndexSegment(last)) this.#notViable(container, parts, parts.length - 1);
    return { container, key: last };
  }

  /** The slot of an existing path, or null when the path does not reach a container. */
  slotIfExists(parts: readonly string[]): Slot | null {
    let container: Doc | unknown[] = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      const next = this.#child(container, part);
      if (!isPlainObject(next) && !Array.isArray(next)) return null;
      container = this.#own(container, part, next);
    }
    const last = parts[parts.length - 1] as string;
    if (Array.isArray(container) && !isIndexSegment(last)) return null;
    return { container, key: last };
  }

  /** Stores a value in a slot, padding arrays with nulls as mongod does. */
  set(slot: Slot, value: unknown): void {
    this.#assign(slot.container, slot.key, value);
  }

  /** Removes the value in a slot (array elements become null, as with mongod's $unset). */
  unset(slot: Slot): boolean {
    const { container, key } = slot;
    if (Array.isArray(container)) {
      const i = Number(key);
      if (i >= container.length) return false;
      container[i] = null;
      return true;
    }
    if (!(key in container)) return false;
    delete container[key];
    return true;
  }

  /** The value in a slot. */
  read(slot: Slot): unknown {
    return Array.isArray(slot.container) ? slot.container[Number(slot.key)] : slot.container[slot.key];
  }

  /** Makes the array in a slot writable (copying it once) and returns it. */
  ownedArray(slot: Slot, arr: unknown[]): unknown[] {
    return this.#own(slot.container, slot.key, arr) as unknown[];
  }

  #child(container: Doc | unknown[], part: string): unknown {
    if (Array.isArray(container)) return isIndexSegment(part) ? container[Number(part)] : undefined;
    return container[part];
  }

  #own(container: Doc | unknown[], part: string, child: Doc | unknown[]): Doc | unknown[] {
    if (this.#owned.has(child)) return child;
    const copy = Array.isArray(child) ? child.slice() : { ...child };
    this.#owned.add(copy);
    this.#assign(container, part, copy);
    return copy;
  }

  #assign(container: Doc | unknown[], key: string, value: unknown): void {
    if (Array.isArray(container)) {
      const i = Number(key);
      if (i - container.length > MAX_BACKFILL) {
        fail(ErrorCode.BadValue, `can't backfill array to larger than ${MAX_BACKFILL} elements`);
      }
      while (container.length < i) container.push(null);
      container[i] = value;
    } else {
      container[key] = value;
    }
  }

  #notViable(container: unknown[], parts: readonly string[], i: number): never {
    const parentName = i > 0 ? (parts[i - 1] as string) : '';
    fail(ErrorCode.PathNotViable, `Cannot create field '${parts[i] as string}' in element ${formatElement(parentName, container)}`);
  }
}
