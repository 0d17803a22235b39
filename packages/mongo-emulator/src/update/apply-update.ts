import { Aggregator } from 'mingo';
import { valuesEqual } from '../bson/bson-compare.js';
import type { Doc } from '../bson/bson-types.js';
import { formatElement } from '../bson/value-format.js';
import { CommandError, fail } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { PIPELINE_OPTIONS } from '../query/mingo-options.js';
import { DocWriter } from './doc-writer.js';
import { applyOperator } from './field-operators.js';
import type { CompiledUpdate } from './update-spec.js';

/** The document after an update and whether anything changed. */
export interface UpdateOutcome {
  doc: Doc;
  changed: boolean;
}

/**
 * Applies a compiled update to a document without mutating it. `inserting` is true for the
 * document an upsert is creating, the only case where `$setOnInsert` applies. The `_id` may be
 * rewritten to the same value but never changed (ImmutableField, 66).
 */
export function applyUpdate(update: CompiledUpdate, original: Doc, inserting: boolean, now = new Date(), variables?: Doc): UpdateOutcome {
  const hadId = original._id !== undefined;
  let doc: Doc;
  let changed: boolean;
  if (update.kind === 'operators') {
    // An upsert's starting document is built for this call, so it can be edited in place.
    const w = new DocWriter(original, inserting);
    changed = false;
    for (const u of update.ops) {
      if (u.op === '$setOnInsert' && !inserting) continue;
      if (applyOperator(w, u, original._id, now)) changed = true;
    }
    doc = w.root;
    if (hadId && !valuesEqual(doc._id, original._id)) {
      fail(ErrorCode.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
  } else if (update.kind === 'replacement') {
    const next = update.doc;
    if (hadId && next._id !== undefined && !valuesEqual(next._id, original._id)) {
      fail(
        ErrorCode.ImmutableField,
        `After applying the update, the (immutable) field '_id' was found to have been altered to ${formatElement('_id', next._id).slice(1, -1)}`,
      );
    }
    doc = hadId ? { _id: original._id, ...next } : { ...next };
    changed = !sameDocument(doc, original);
  } else {
    doc = runPipeline(update.pipeline, original, variables);
    // A pipeline whose output lacks _id ($replaceRoot, $project) keeps the original one, as on mongod.
    if (hadId && doc._id === undefined) doc = { _id: original._id, ...doc };
    if (hadId && !valuesEqual(doc._id, original._id)) {
      fail(ErrorCode.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    changed = !sameDocument(doc, original);
  }
  return { doc: idFirst(doc), changed };
}

/** mongod always stores `_id` as the first field. */
export function idFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (keys.length === 0 || keys[0] === '_id' || !('_id' in doc)) return doc;
  const out: Doc = { _id: doc._id };
  for (const k of keys) if (k !== '_id') out[k] = doc[k];
  return out;
}

function sameDocument(a: Doc, b: Doc): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && valuesEqual(a[k], b[k]));
}

function runPipeline(pipeline: Doc[], doc: Doc, variables?: Doc): Doc {
  try {
    const out = new Aggregator(pipeline, variables ? { ...PIPELINE_OPTIONS, variables } : PIPELINE_OPTIONS).run([doc]);
    return (out[0] ?? {}) as Doc;
  } catch (err) {
    throw new CommandError(ErrorCode.BadValue, (err as Error).message);
  }
}
