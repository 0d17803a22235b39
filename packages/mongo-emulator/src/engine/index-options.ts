import type { Doc } from '../bson/bson-types.js';
import { isPlainObject } from '../bson/bson-types.js';
import { formatObject } from '../bson/value-format.js';
import { fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { IndexSpec } from './index-spec.js';
import { defaultIndexName, describeIndex, sameOptions } from './index-spec.js';

/**
 * Validates one createIndexes entry and turns it into an IndexSpec. Hash-style equality
 * indexes are all the emulator builds, so ascending, descending and hashed keys are accepted;
 * text and geo indexes are refused.
 */
export function parseIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    fail(ErrorCode.CannotCreateIndex, 'Index keys cannot be an empty field.');
  }
  const key = raw.key;
  for (const [field, dir] of Object.entries(key)) {
    const ok = (typeof dir === 'number' && dir !== 0) || dir === 'hashed';
    if (!ok)
      fail(
        ErrorCode.CannotCreateIndex,
        `Values in the index key pattern can only be numbers or 'hashed' in the emulator; got ${field}: ${String(dir)}`,
      );
  }
  const name = raw.name === undefined ? defaultIndexName(key) : raw.name;
  if (typeof name !== 'string' || name === '') fail(ErrorCode.CannotCreateIndex, 'The index name must be a non-empty string');
  const spec: IndexSpec = { name, key };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.expireAfterSeconds !== undefined) {
    const s = raw.expireAfterSeconds;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
      fail(ErrorCode.CannotCreateIndex, `TTL index 'expireAfterSeconds' option must be a non-negative number: ${String(s)}`);
    }
    if (Object.keys(key).length > 1) {
      fail(ErrorCode.CannotCreateIndex, 'TTL indexes are single-field indexes, compound indexes do not support TTL');
    }
    spec.expireAfterSeconds = s;
  }
  if (isPlainObject(raw.partialFilterExpression)) spec.partialFilterExpression = raw.partialFilterExpression;
  return spec;
}

/**
 * How a requested index relates to the existing ones: 'exists' for an identical index,
 * 'new' otherwise; conflicting names or keys fail with mongod's codes 85/86.
 */
export function classifyIndex(requested: IndexSpec, existing: IndexSpec[]): 'exists' | 'new' {
  const keyText = JSON.stringify(requested.key);
  for (const e of existing) {
    const sameKey = JSON.stringify(e.key) === keyText;
    if (e.name === requested.name) {
      if (sameKey && sameOptions(e, requested)) return 'exists';
      if (sameKey) {
        fail(
          ErrorCode.IndexOptionsConflict,
          `An equivalent index already exists with the same name but different options. Requested index: ${describe(requested)}, existing index: ${describe(e)}`,
        );
      }
      fail(
        ErrorCode.IndexKeySpecsConflict,
        `An existing index has the same name as the requested index. When index names are not explicitly specified, the default names are generated based on the index key pattern. Requested index: ${describe(requested)}, existing index: ${describe(e)}`,
      );
    }
    if (sameKey && sameOptions(e, requested)) {
      fail(ErrorCode.IndexOptionsConflict, `Index already exists with a different name: ${e.name}`);
    }
  }
  return 'new';
}

function describe(spec: IndexSpec): string {
  return formatObject(describeIndex(spec) as Doc);
}
