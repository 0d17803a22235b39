import { Aggregator } from 'mingo';
import type { Doc } from '../bson/bson-types.js';
import { CommandError } from '../errors/command-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { PIPELINE_OPTIONS } from './mingo-options.js';

/**
 * Evaluates each field of `doc` as an aggregation expression against an empty document (what
 * mongod does with a command's `let`): literals stay, `$literal` unwraps, operators compute.
 */
export function evaluateExpressions(doc: Doc): Doc {
  try {
    const [out] = new Aggregator([{ $replaceWith: doc }], PIPELINE_OPTIONS).run<Doc>([{}]);
    return out ?? {};
  } catch (err) {
    throw new CommandError(ErrorCode.BadValue, (err as Error).message);
  }
}
